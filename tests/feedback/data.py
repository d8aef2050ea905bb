"""Known answer sets that several feedback tests share, with the figures each should give."""

CONFIDENCE = "confidence-saying-no"
# Version 1, five students: check-in confidence 2, 2, 3, 3, 4 (mean 2.8); after the lesson 3, 4, 4, 5, 5
# (mean 4.2); "It kept my attention" 5, 4, 4, 3, 2 (mean 3.6, median 4).
V1_CHECKINS = [{CONFIDENCE: v} for v in [2, 2, 3, 3, 4]]
V1_FEEDBACK = [
    {CONFIDENCE: c, "kept-attention": k} for c, k in zip([3, 4, 4, 5, 5], [5, 4, 4, 3, 2], strict=True)
]
# Version 2, ten students (two batches of five, so all are released): check-in 3 ×5, 4 ×5 (mean 3.5, median
# 3.5); after 4 ×3, 5 ×7 (mean 4.7, median 5); "It kept my attention" 5 ×4, 4 ×5, 3 (mean 4.3, median 4).
V2_CHECKINS = [{CONFIDENCE: v} for v in [3, 3, 3, 3, 3, 4, 4, 4, 4, 4]]
V2_FEEDBACK = [
    {CONFIDENCE: c, "kept-attention": k}
    for c, k in zip([4, 4, 4, 5, 5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 4, 4, 4, 4, 4, 3], strict=True)
]

# Five students: check-in confidence 2, 2, 3, 3, 4 (mean 2.8, median 3); after the lesson 3, 4, 4, 5, 5
# (mean 4.2, median 4); "It kept my attention" 5, 4, 4, 3, 2 (mean 3.6, median 4).
CLASS_CHECKINS = [{"confidence-saying-no": value} for value in [2, 2, 3, 3, 4]]
CLASS_FEEDBACK = [
    {
        "confidence-saying-no": 3,
        "kept-attention": 5,
        "year-group": "Year 9",
        "what-change": "More on blocking",
    },
    {"confidence-saying-no": 4, "kept-attention": 4, "year-group": "Year 9", "what-change": "Shorter story"},
    {"confidence-saying-no": 4, "kept-attention": 4, "year-group": "Year 9"},
    {"confidence-saying-no": 5, "kept-attention": 3, "year-group": "Year 9", "know-where-help": "Yes"},
    {"confidence-saying-no": 5, "kept-attention": 2, "year-group": "Year 9", "know-where-help": "Yes"},
]

# Five students in alice's class: "It kept my attention" 5, 4, 4, 3, 2; two comments.
BUNDLE_FEEDBACK = [
    {
        "confidence-saying-no": 3,
        "kept-attention": 5,
        "know-where-help": "Yes",
        "what-change": "More on blocking",
    },
    {"confidence-saying-no": 4, "kept-attention": 4, "know-where-help": "Yes", "what-change": "HIDE-ME"},
    {"confidence-saying-no": 4, "kept-attention": 4, "know-where-help": "Not sure"},
    {"confidence-saying-no": 5, "kept-attention": 3, "year-group": "Year 9"},
    {"confidence-saying-no": 5, "kept-attention": 2, "what-change": "Shorter story"},
]
