"""Notes: a one-line English summary of each record in ACLED's style, whatever the report's language."""

from __future__ import annotations

from sitrep.model import Event

# ACLED-style wording per sub-event type: "{who}" acts on "{whom}" at "{where}" (a place phrase that
# already carries its preposition: "in Pokrovsk (Donetsk)", "near Bakhmut (Donetsk)")
WORDING = {
    "Armed clash": "{who} clashed with {whom} {where}",
    "Government regains territory": "{who} regained territory from {whom} {where}",
    "Non-state actor overtakes territory": "{who} took territory from {whom} {where}",
    "Air/drone strike": "{who} carried out an air or drone strike {where}",
    "Shelling/artillery/missile attack": "{who} shelled {target}",
    "Remote explosive/landmine/IED": "an explosive device detonated {where}",
    "Grenade": "{who} threw a grenade {where}",
    "Suicide bomb": "{who} carried out a suicide bombing {where}",
    "Chemical weapon": "{who} used chemical weapons {where}",
    "Disrupted weapons use": "{who} intercepted or shot down aerial weapons of {whom} {where}",
    "Looting/property destruction": "{who} destroyed or looted property {where}",
    "Non-violent transfer of territory": "{who} withdrew {where}",
    "Arrests": "{who} arrested people {where}",
    "Abduction/forced disappearance": "{who} abducted {whom} {where}",
    "Attack": "{who} attacked {whom} {where}",
    "Sexual violence": "{who} committed sexual violence {where}",
    "Peaceful protest": "{who} protested {where}",
    "Protest with intervention": "{who} protested {where}; the authorities intervened",
    "Excessive force against protesters": "force was used against protesters {where}",
    "Violent demonstration": "{who} rioted {where}",
    "Mob violence": "mob violence broke out {where}",
    "Agreement": "{who} and {whom} reached an agreement {where}",
    "Change to group/activity": "{who} changed activity {where}",
    "Headquarters or base established": "{who} established a base {where}",
    "Other": "an event was reported {where}",
}


def notes(e: Event) -> str:
    """A one-line English summary in ACLED's style, whatever the report's language."""
    when = f"On {e.event_date}" if e.event_date else "On an unknown date"
    if e.location is None:
        where, target = "at an unspecified location", "an unspecified location"
    else:
        region = f" ({e.location.admin1})" if e.location.admin1 and e.location.admin1 != e.location.name else ""
        place = f"{e.location.name}{region}"
        near = e.location.geo_precision == 2
        where = f"near {place}" if near else f"in {place}"
        target = f"near {place}" if near else place
    sentence = WORDING.get(e.sub_event_type, "{who} acted {where}").format(
        who=e.actor1 or "unidentified forces", whom=e.actor2 or "unidentified forces", where=where, target=target
    )
    parts = [f"{when}, {sentence}."]
    if e.fatalities is not None or e.injured is not None:
        killed = "unknown" if e.fatalities is None else f"at least {e.fatalities}" if e.fatalities_lower_bound else e.fatalities
        parts.append(f"{killed} killed, {e.injured if e.injured is not None else 'unknown'} injured.")
    deniers = [c.claimant for c in e.claims if c.claimant and c.verification == "disputed"]
    tellers = [c.claimant for c in e.claims if c.claimant and c.verification != "disputed"]
    if deniers:
        told = f"Reported by {', '.join(dict.fromkeys(tellers))}; " if tellers else ""
        parts.append(f"{told}denied by {', '.join(dict.fromkeys(deniers))}.")
        return " ".join(parts)
    claimants = [c.claimant for c in e.claims if c.claimant]
    if claimants:
        unverified = any(c.verification == "unverified" for c in e.claims)
        parts.append(f"According to {', '.join(dict.fromkeys(claimants))}{' (unverified)' if unverified else ''}.")
    return " ".join(parts)
