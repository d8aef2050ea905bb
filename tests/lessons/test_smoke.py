def test_it_serves_the_self_guided_start(client, mini_package):
    response = client.get("/")
    assert response.status_code == 200
    assert "Mini lesson" in response.content.decode()
