"""The entity page and ``/api/entities/{id}`` read an entity's mentions by day from the counts kept at link time
(``store/entity_days.py``): what they send is byte for byte what adding up the mentions gave, for the most
named entities, read open and through a green ceiling."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from watchfloor.serve import Role, create_token
from watchfloor.store import Reader, Store
from watchfloor.store import tables as t

from .conftest import auth


def _most_named(store: Store, n: int) -> list[str]:
    k, m = t.entity_keys, t.mention_days
    query = (select(k.c.entity_id).join(m, m.c.key == k.c.key).group_by(k.c.entity_id)
             .order_by(func.count().desc(), k.c.entity_id).limit(n))
    with store.read() as r:
        return list(r.connection.execute(query).scalars())


def _responses(client: TestClient, entities: list[str], headers: dict[str, str]) -> list[tuple[int, bytes]]:
    found = []
    for entity in entities:
        for path in (f"/entities/{entity}", f"/api/entities/{entity}"):
            response = client.get(path, headers=headers)
            found.append((response.status_code, response.content))
    return found


def test_the_entity_pages_are_what_the_mentions_gave(tlp_store: Store, tlp_client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    entities = _most_named(tlp_store, 12)
    green = auth(create_token(tlp_store, "partner", Role.READER)[0])
    kept = [_responses(tlp_client, entities, headers) for headers in ({}, green)]
    assert all(status == 200 for status, _ in kept[0]) and b"mentions-data" in kept[0][0][1]
    assert kept[0] != kept[1]  # the ceiling hides some mentions: the comparison covers levels
    monkeypatch.setattr(Reader, "entity_days", Reader.entity_mentions_by_day)
    assert kept == [_responses(tlp_client, entities, headers) for headers in ({}, green)]
