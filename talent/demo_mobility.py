"""Demo mobility between the demo partners: secondments, rotation schemes, career
pathways and the talent pool. Each area seeds its own records, idempotently."""

from talent import demo_pathways, demo_pool, demo_rotations, demo_secondments


def seed_demo() -> dict:
    created = {}
    for area in (demo_secondments, demo_rotations, demo_pathways, demo_pool):
        created.update(area.seed_demo())
    return created
