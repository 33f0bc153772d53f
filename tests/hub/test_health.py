import pytest

from config.celery_app import app as celery_app


def test_health_reports_database_and_broker_and_is_503_without_workers(client, db, monkeypatch):
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout: [])
    response = client.get("/health/")
    body = response.json()
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["broker"] == {"ok": True}
    assert body["checks"]["workers"] == {"ok": False, "count": 0}
    assert response.status_code == 503


def test_health_is_200_when_everything_answers(client, db, monkeypatch):
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout: [{"w1": {"ok": "pong"}}])
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.usefixtures("db")
def test_health_is_503_when_the_broker_is_down(client, monkeypatch):
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/health/")
    finally:
        celery_app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
