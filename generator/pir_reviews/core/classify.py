"""Severity classification: impact fields first, then words, always explained.

The classifier replaces an old keyword script that fired on "no data loss
occurred" and on "download" (it held "down"). Here every text signal is a
whole-word, case-insensitive regex, and a mention is ignored when a negation
("no", "not", "never", "without", "zero", "n't", "no evidence of", ...) comes
within three words before it in the same clause, or when the clause goes on
to rule it out ("data loss was ruled out").

How a severity is decided (levels and targets come from core.matrix):

* Impact fields decide whatever they state. Share of users: more than 75% is
  sev1, 25% to 75% (25 included, as the matrix criteria word it) is sev2,
  above 0 is sev3, exactly 0 is sev4. complete_outage, data_loss and security
  are sev1; sla_breached is at least sev2.
* Text signals count only for what the fields leave unstated (None): the
  breadth, data loss, exposure, SLA breach, workaround, internal-only. A field
  set to false overrules the text (reported as ignored). The breadth in words
  comes from pir_reviews.core.quantities ("about half", "every request", "a
  handful") and, without one, from outage and failure words
  (generator.wording.text_breadth); data loss or exposure is sev1; an SLA
  breach at least sev2; "all of engineering is blocked" is the matrix's
  internal-tooling level (sev2), and its breadth words are about staff.
* A workaround, or another path that still works ("card payments still
  work", "agents are processing refunds by hand", "shoppers can still pay by
  card"), lowers the result one level, but never below sev3 (people are still
  affected) and never lowers a data-loss or security sev1. An SLA breach keeps
  it at sev2 at least.
* No customer impact is sev4 unless data was exposed or lost (data loss read
  from text does not count when the input places it in an internal or
  non-production system). No customer impact means internal_only, or text
  that says internal-only or non-production (unless it also speaks of
  customers or production), that rules customer impact out ("nothing
  customer-facing is affected", "production was never touched"), or that
  reads as cosmetic or documentation with nothing down (an outage word only
  quoted, as in a heading that says "Outage" by mistake, is not something
  down). Text about data lost in staging is not user data.
* A report or belief the text itself refutes ("customers think their photos
  were deleted; they are all still stored", "someone claimed a leak; the
  claim was false") is not the fact (pir_reviews.core.modality): sev3 when
  the people who use the product believed it and the thing is still there
  (they see something wrong), sev4 otherwise, unless other rules say more.
  A report nothing refutes counts as what it reports.
* Test, demo and sandbox stand-ins ("a test merchant account") are not
  customers; a cosmetic word that names a cause ("a typo in the routing
  config broke checkout") is not a cosmetic fault.
* "Completely down" said of one feature or service, not of a whole system,
  is one feature down for everyone (sev2, lowered by a workaround, and by the
  other parts named fine: "search and booking unaffected"); what still
  works on a surface people use is no workaround for a failing one that
  programs call, or the other way round (pir_reviews.core.wording).
* Planned or routine staff work ("per the cleanup ticket", "support typed"),
  and a deletion its sentence calls what the job is meant to do ("which is
  exactly what the retention job is supposed to do"), with nothing else said
  is sev4: no customer impact. A thing meant to be public ("the key is meant
  to be public") is no exposure; another party's things seen are one, unless
  they are called public ("another user's public profile").
* A subject ruled out ("it wasn't the gateway that went down") lends its
  words to nothing; a thing placed in a whole system ("attachments in the
  helpdesk app fail for every customer") is the feature that fails, not the
  system.
* A figure that corrects an earlier one ("turned out to be ~15%") wins over
  it; a cosmetic word is no cosmetic fault when a covered control's action is
  said to be blocked or done another way, or when the text denies it ("looks
  cosmetic but isn't"); staff doing the work for the affected meanwhile are
  not the affected; an internal part whose fault hits a share of what outside
  callers do is customer impact; an SLA named and then said to be passed is
  breached, for one customer too.
* A share of people named by their trade ("4 in 10 listeners") counts; a
  share said inside a report the text refutes as false ("someone claimed
  all customers' data leaked; the claim was false") is of the report;
  anything wrong or stale written into a place data is kept ("recorded the
  wrong dosage in patients' records") is data corrupted; production still
  on what it ran before beside a failing stage before it ("prod is still on
  the old version"), or named as where things still work ("routes serve
  fine to prod"), is no customer impact; what still works said as what it
  lets people do ("so shoppers can still buy everything") is a way round.
* A cosmetic word said only as what the fault was first taken for ("took it
  for a font glitch at first, but ...") is no cosmetic fault, and a control
  pushed out of view counts as covered; "no other way" says what still works
  is no way round; a shipping tool broken "org-wide" or "for any service" is
  internal tooling down for all of engineering; every page failing is the
  whole site down; "the SLA is breached" and "above the contracted 800ms" are
  a breach, unless hedged ("if ... we will be out of SLA").
* A leak or a loss whose data the text then calls stand-ins ("every row
  synthetic, no real customers in it") is refuted, framed or not; "no real
  customer data" is no customer impact only when nothing else says people
  are hit. A flag or a build that "leaked into production" is no data;
  "for anyone" narrowed by who ("for anyone on android") is not everyone;
  "down" drawn ("upside down", "the down arrow") is no outage; newer things
  overwritten with older ones, things kept said wiped, records posted twice
  and accounts that show the wrong balance are data corrupted.
* Contractions typed without the apostrophe ("cant", "dont") are read as
  written with it, and "ppl", "svc", "txn" spelled out
  (pir_reviews.core.shorthand). A figure in digits beside "everyone" or
  "100% errors" in its sentence ("everyone in apac, but that's ~8% of our
  users") is the breadth; the rows said to be still there refute
  a loss believed; a backup that did not run, a service with "zero traffic
  for months" and "users can't tell the difference" are no customer impact;
  a leaked file that is public anyway is refuted; none of the engineers able
  to get into what they work in is all of engineering blocked; what still
  works only as the way in ("but after you sign in ...") is no way round.
* A denial inside the words of a harm ("orders are not lost", "users saw
  no errors") denies it; "false alarm on X" frames X as a report, and a
  false alarm is no customer impact only when nothing else says people are
  hit; a leak that turned out to land "in our own" place, with "no outside
  access", is refuted; corruption of a database is data corrupted, a
  cache's entries are not; "at all" says everything is down only of what
  stops working ("won't load at all", not "isn't affected at all"); people
  who cannot do what they came for ("they can't pick a seat") are no
  cosmetic fault; "we did breach the SLA" and a missed uptime target are a
  breach.
* A text that corrects itself ("correction, only the ios runners are
  down") is read from its last correction on; things said gone from a
  screen but "still in the database" in the same sentence are not lost;
  things overwritten "with last week's values" are lost unless they are
  settings; "0 requests in the last 6 months" is nobody using it; an
  internal service whose fault hits a share of orders, deliveries or
  bookings is customer impact; "only ~10% can request a ride" is the share
  that still can; things "landing in the wrong users' inbox" are exposed;
  files "coming back corrupted" are lost; "down completely" is a complete
  outage (of one feature when its subject is one); a report refuted by
  "but it's only the" one part is set aside; "pushed us past the SLA" is a
  breach unless hedged ("we'll be past it by friday").
* Nothing matched: sev3 with confidence 0.3, until someone states the impact.

Confidence: 0.9 when an impact field decided (0.95 when the text agrees);
0.55 when only text decided, +0.1 for each further signal that agrees, at
most 0.75; 0.3 when nothing matched.

Reasons come in a fixed order: rules from impact fields, rules from the text
(both phrased "... -> sevN", quoting the words), adjustments (workaround,
no customer impact), then mentions that were ignored and why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pir_reviews.core.matrix import level
from pir_reviews.core.response import communication, initial_actions, response_targets, teams_for
from pir_reviews.core.quantities import Share, read_shares
from pir_reviews.core.shorthand import spelled_out
from pir_reviews.core.signals import HARM, OTHERS_FINE, REFUTABLE, SIGNALS, Mentions, find_mentions
from pir_reviews.core.wording import (FeatureOutage, Rule, corrected, cosmetic_reason, cosmetic_set_aside, customer_mentions, customer_words, feature_outages, other_surface, outside_share, quote,
                                      no_way_round, refuted_mentions, refuted_rule, reports,
                                      severity_for_share, share_words, staff_blocked_rule, text_breadth)
from pir_reviews.core.models import SEVERITIES, ClassifyInput, Classification, Impact, Incident

FIELD_CONFIDENCE = 0.9
TEXT_CONFIDENCE = 0.55
TEXT_CONFIDENCE_MAX = 0.75
DEFAULT_CONFIDENCE = 0.3
DEFAULT_SEVERITY = "sev3"
DEFAULT_REASON = "no impact stated; defaulting to sev3 until impact is known"


def _rank(sev: str) -> int:
    return SEVERITIES.index(sev)


@dataclass(frozen=True)
class Evidence:
    """The outcome of the rules before the response plan is attached."""

    severity: str
    confidence: float
    reasons: tuple[str, ...]
    flags: frozenset[str]  # signal kinds that hold: data_loss, exposure, revenue, ...


def _flag(field: bool | None, name: str, kind: str, found: dict[str, Mentions], notes: list[str]) -> str | None:
    """"field" or "text" when the fact holds, None otherwise; notes text overruled by a false field."""
    if field is True:
        return "field"
    if found[kind].kept:
        if field is False:
            notes.append(f"text mentions {quote(found[kind].kept)} but impact.{name} is false; ignored")
            return None
        return "text"
    return None


def _breadth_rules(imp: Impact, found: dict[str, Mentions], shares: tuple[Share, ...], notes: list[str],
                   text: str = "", one_feature: tuple[FeatureOutage, ...] = ()) -> list[Rule]:
    """How many people are affected: the share and complete-outage fields, else
    the text (generator.wording.text_breadth). Text that speaks of all of
    engineering being blocked describes staff, not customers: its breadth words
    are set aside for the internal-tooling rule."""
    rules: list[Rule] = []
    breadth_stated = imp.users_affected_pct is not None or imp.complete_outage is True
    if imp.users_affected_pct is not None:
        sev = severity_for_share(imp.users_affected_pct)
        rules.append(Rule(sev, f"{imp.users_affected_pct:g}% of users affected ({share_words(sev)}) -> {sev}", "field"))
    if imp.complete_outage is True:
        rules.append(Rule("sev1", "complete outage stated in impact -> sev1", "field"))
    if imp.complete_outage is False and (found["complete_outage"].kept or any(s.universal for s in shares)):
        said = found["complete_outage"].kept or tuple(s.phrase for s in shares if s.universal)
        notes.append(f"text mentions {quote(said)} but impact.complete_outage is false; ignored")
    text_rules = text_breadth(found, shares, imp.complete_outage, one_feature)
    if breadth_stated:
        stated = min((r.severity for r in rules), key=_rank)
        agreeing = [r for r in text_rules if r.severity == stated]
        rules.extend(agreeing)
        notes.extend(r.reason.split(" -> ")[0] + "; the impact fields state the breadth; ignored"
                     for r in text_rules if r not in agreeing)
    elif found["staff_blocked"].kept and not customer_words(found):
        notes.extend(r.reason.split(" -> ")[0] + "; it describes staff, not customers; ignored" for r in text_rules)
    else:
        rules.extend(text_rules)
    return rules


def _sev4_scope(imp: Impact, found: dict[str, Mentions], internal: str | None, customer_impact_stated: bool,
                notes: list[str], text: str = "", people_hit: bool = False) -> str | None:
    """Why nobody outside is affected, when the input says so: internal-only or
    non-production, customer impact ruled out, stand-ins where real customers
    would be or a false alarm (unless `people_hit`: another rule says people
    are affected), or cosmetic. None otherwise."""
    if internal == "field":
        return "internal-only stated in impact (internal-only or non-production, no data lost or exposed) -> sev4"
    if customer_impact_stated:
        return None
    if found["no_impact"].kept:
        return f"text mentions {quote(found['no_impact'].kept)} (no customer impact) -> sev4"
    if found["not_real"].kept and not people_hit:
        return f"text mentions {quote(found['not_real'].kept)} (stand-ins or a false alarm, nothing real; no customer impact) -> sev4"
    if internal == "text":
        return f"text mentions {quote(found['internal'].kept)} (internal-only or non-production, no user data lost or exposed) -> sev4"
    set_aside = cosmetic_set_aside(found, text)
    if set_aside:
        notes.append(set_aside)
    return cosmetic_reason(found, text)


def weigh(inp: ClassifyInput) -> Evidence:
    """Apply the rules of the module docstring to one input."""
    imp, (text, correction) = inp.impact, corrected(spelled_out(inp.text or ""))
    # Revenue words are read from the services too, in one scan of their own.
    found = {kind: find_mentions("\n".join([text, *inp.services]) if kind == "revenue" else text, patterns, kind in REFUTABLE,
                                 kind in HARM)
             for kind, patterns in SIGNALS.items()}
    shares, set_aside = read_shares(text, reports(found))
    notes: list[str] = [f'text says "{every.phrase}" {why}; ignored' for every, why in set_aside]
    if correction:
        notes.insert(0, f'text corrects itself ("{correction}"); what it said before is set aside')
    one_feature = feature_outages(text, found)
    rules = _breadth_rules(imp, found, shares, notes, text, one_feature)
    refuted = refuted_rule(found)
    if refuted:
        rules.append(refuted)
    customer_impact_stated = (imp.users_affected_pct or 0) > 0 or imp.complete_outage is True or imp.sla_breached is True
    internal = _flag(imp.internal_only, "internal_only", "internal", found, notes)
    if internal == "text" and customer_impact_stated:
        notes.append(f"text mentions {quote(found['internal'].kept)} but the impact fields state customer impact; ignored")
        internal = None
    elif internal == "text" and customer_mentions(found):
        notes.append(f"text mentions {quote(found['internal'].kept)} but also {quote(customer_mentions(found))}; not internal-only")
        internal = None
    elif internal == "text" and (outside := outside_share(text, shares)):
        notes.append(f"text mentions {quote(found['internal'].kept)} but also {outside}; not internal-only")
        internal = None

    data_loss = _flag(imp.data_loss, "data_loss", "data_loss", found, notes)
    if data_loss == "text" and internal:
        notes.append(f"text mentions {quote(found['data_loss'].kept)}, but in an internal or non-production system,"
                     " not user data; ignored")
        data_loss = None
    if data_loss:
        said = "data loss stated in impact" if data_loss == "field" else f"text mentions {quote(found['data_loss'].kept)}"
        rules.append(Rule("sev1", f"{said} (data lost or corrupted) -> sev1", data_loss))
    exposure = _flag(imp.security, "security", "exposure", found, notes)
    if exposure:
        said = "security impact stated" if exposure == "field" else f"text mentions {quote(found['exposure'].kept)}"
        rules.append(Rule("sev1", f"{said} (data exposed or a security breach) -> sev1", exposure))
    sla = _flag(imp.sla_breached, "sla_breached", "sla", found, notes)
    if sla:
        said = "SLA breach stated in impact" if sla == "field" else f"text mentions {quote(found['sla'].kept)}"
        rules.append(Rule("sev2", f"{said} (SLA breached) -> at least sev2", sla))
    staff_rule = None if customer_impact_stated else staff_blocked_rule(found)
    if staff_rule:
        rules.append(staff_rule)
    workaround = _flag(imp.workaround, "workaround", "workaround", found, notes)
    # Beside one feature said to be down, the other parts named fine are a way round it.
    alternatives = found["alternative"].kept + (find_mentions(text, OTHERS_FINE).kept if one_feature else ())
    if not workaround and imp.workaround is None and alternatives:
        elsewhere = other_surface(text, alternatives)
        no_way = no_way_round(text)  # "search works, but ... there is no other way to narrow results"
        if elsewhere:
            notes.append(elsewhere)
        elif no_way:
            notes.append(f'text mentions {quote(alternatives)}, but also "{no_way}"; not a workaround')
        else:
            workaround = "text"
            notes.append(f"text mentions {quote(alternatives)}: another way still works, read as a workaround")
    scope = None if (data_loss or exposure or staff_rule) else _sev4_scope(imp, found, internal, customer_impact_stated, notes, text,
                                                                          any(r.severity != "sev4" for r in rules))

    for kind, mentions in found.items():
        if mentions.negated and not mentions.kept and kind not in ("revenue", "customer_facing", "customer_systems"):
            negated = f"text mentions {quote(mentions.negated)}, which is negated; ignored"
            if negated not in notes:  # one phrase can be negated for two kinds: "nothing fully down"
                notes.append(negated)
    notes.extend(f'text reports "{r.phrase}" and then refutes it ("{r.by}"); ignored' for r in refuted_mentions(found))

    reasons = [r.reason for r in rules if r.source == "field"] + [r.reason for r in rules if r.source == "text"]
    flags = frozenset(k for k, v in (("data_loss", data_loss), ("exposure", exposure), ("sla", sla),
                                      ("workaround", workaround), ("internal", internal or scope),
                                      ("revenue", found["revenue"].kept)) if v)
    if not rules and not workaround and not scope and found["routine"].kept:
        routine = f"text mentions {quote(found['routine'].kept)} (staff doing planned or routine work, no impact stated) -> sev4"
        return Evidence("sev4", TEXT_CONFIDENCE, (routine, *notes), flags | {"internal"})
    if not rules and not workaround and not scope:
        return Evidence(DEFAULT_SEVERITY, DEFAULT_CONFIDENCE, (DEFAULT_REASON, *notes), flags)

    adjustments: list[str] = []
    if scope:
        severity, source = "sev4", "field" if internal == "field" else "text"
        adjustments.append(scope)
        backing = [r for r in rules if r.severity == "sev4" and r.source == "text"]
    else:
        if internal and (data_loss or exposure):
            notes.append("internal-only, but data was lost or exposed; internal-only does not lower it")
        if rules:
            severity = min((r.severity for r in rules), key=_rank)
            deciding = [r for r in rules if r.severity == severity]
        else:
            severity, deciding = "sev3", []
            adjustments.append("a workaround implies people are affected -> sev3")
        source = "field" if any(r.source == "field" for r in deciding) or (not deciding and workaround == "field") else "text"
        backing = [r for r in deciding if r.source == "text"]
        if workaround and severity in ("sev1", "sev2") and deciding:
            if severity == "sev1" and (data_loss or exposure):
                notes.append("a workaround does not lower a sev1 for data loss or exposure")
            else:
                lowered = SEVERITIES[_rank(severity) + 1]
                if sla and _rank(lowered) > _rank("sev2"):
                    notes.append("a workaround does not lower an SLA breach below sev2")
                else:
                    adjustments.append(f"workaround available -> lowered from {severity} to {lowered}")
                    severity = lowered
    if source == "field":
        confidence = FIELD_CONFIDENCE + (0.05 if backing else 0.0)
    else:
        confidence = min(TEXT_CONFIDENCE_MAX, TEXT_CONFIDENCE + 0.1 * max(0, len(backing) - 1))
    return Evidence(severity, round(confidence, 2), tuple(reasons + adjustments + notes), flags)


def plan(evidence: Evidence, inp: ClassifyInput) -> Classification:
    """Attach the response plan of the matrix row to the evidence."""
    sev = evidence.severity
    subject, body = communication(sev, inp)
    return Classification(
        severity=sev,
        confidence=evidence.confidence,
        reasons=evidence.reasons,
        teams=teams_for(sev, inp.services, evidence.flags, dict(inp.owners)),
        response_targets=response_targets(sev),
        initial_actions=initial_actions(sev, evidence.flags),
        escalation_path=level(sev).escalation,
        communication_subject=subject,
        communication_body=body,
    )


def classify(inp: ClassifyInput) -> Classification:
    """Severity, reasons and a response plan for one input; then checks inp.declared."""
    evidence = weigh(inp)
    return check_declared(plan(evidence, inp), inp.declared)


def check_declared(c: Classification, declared: str | None) -> Classification:
    """Record the declared severity and say when the evidence disagrees with it.

    The rule: when an impact field decided (confidence >= 0.8) any difference
    is a disagreement; when only text decided, a difference of two levels or
    more is; when nothing matched (the default) there is never one. A declared
    value outside sev1..sev4 is always reported.
    """
    if declared is None:
        return replace(c, declared=None, disagreement=None)
    value = declared.strip().lower()
    if value not in SEVERITIES:
        return replace(c, declared=declared, disagreement=f"declared severity {declared!r} is not one of {', '.join(SEVERITIES)}")
    gap = abs(_rank(value) - _rank(c.severity))
    if c.confidence <= DEFAULT_CONFIDENCE or gap == 0 or (c.confidence < 0.8 and gap < 2):
        return replace(c, declared=value, disagreement=None)
    fired = [r for r in c.reasons if " -> " in r]
    return replace(c, declared=value, disagreement=(
        f"declared {value} but the evidence points to {c.severity} (confidence {c.confidence:.2f}): " + "; ".join(fired)
    ))


def classify_input_from_incident(incident: Incident, owners: tuple[tuple[str, str], ...] = ()) -> ClassifyInput:
    """What the classifier reads from an incident: the one way any input becomes classifier input.

    Files of format v1, the older JSON shapes and the interactive answers all
    become an `Incident` in the load stage first, so `pir classify FILE` and the
    review page of the same incident always see the same words and fields.
    `owners` (service, team) come from services.yaml when the archive has one.
    """
    parts = (incident.title, incident.summary, incident.impact.description, incident.root_cause.summary,
             incident.root_cause.trigger)
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return ClassifyInput(text=text, services=tuple(incident.services), owners=owners, impact=incident.impact, declared=incident.severity,
                         title=incident.title, started_at=incident.started_at, commander=incident.commander,
                         status=incident.status if "status" in incident.lines else None)
