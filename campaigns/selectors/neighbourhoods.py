"""Placing a postcode in a neighbourhood."""

from campaigns.models import Neighbourhood


def postcode_sector(postcode: str) -> str:
    """ "LS12 1" from a normalised postcode "LS12 1AB"; blank for blank."""
    if not postcode:
        return ""
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


def neighbourhood_for_postcode(postcode: str) -> Neighbourhood | None:
    """The neighbourhood whose postcode sectors include this (normalised) postcode."""
    sector = postcode_sector(postcode)
    if not sector:
        return None
    return Neighbourhood.objects.filter(postcode_sectors__sector=sector).first()
