"""Sports reporting names teams after places: "Leeds 2 Portsmouth 1", "Surrey beat Kent", "Rotor Volgograd".

Wire services mix sports pages into the same feed as politics, and a town that is a team there is an
organisation, not a place. These rules fire only in a sports report (recognised by its vocabulary), where:

* a capitalised name followed by a score on a line of scores or a table row is a team, unless it is a person
  (a given name, initials) or a country (national sides keep their country's name and type);
* a place (not a country) that plays, beats, faces or is played against is a team;
* a place joined to a club word ("Manchester United", "Real Madrid", "Notts County") or to a plural nickname
  ("Cleveland Indians") is a team, and so is the nickname alone afterwards;
* a team is a team everywhere in the report, except where a locative preposition makes it the town
  ("in Leeds").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from .gazetteer import Gazetteer
from .name_tokens import Candidate, Tokens, is_initial
from .nlp import children_of, first_conjunct

__all__ = ["is_sports_report", "team_candidates"]

#: words that, several together, say a report is about sport
_SPORTS_WORDS = frozenset("""
    soccer football cricket rugby tennis golf baseball basketball hockey cycling athletics boxing squash
    badminton volleyball handball motorcycling formula innings wicket wickets batsman batsmen bowler bowled
    goalkeeper striker midfielder defender goals scored scorer equaliser equalizer penalty half-time halftime
    inning innings pitcher homer homers touchdown quarterback league championship tournament semifinal
    semi-final semifinals semi-finals quarterfinal quarter-final quarter-finals final seeded seed unbeaten
    referee stadium standings title champion champions medal olympic podium lap laps race sprint birdie
    birdies bogey putt par marathon fixture fixtures playoff play-off playoffs coach season match matches
    cup club clubs fans draw drew beat striker runs batting
""".split())
#: verbs (lemmas) of meeting an opponent: their subject and object are sides
_CONTEST_VERBS = {"beat", "play", "face", "meet", "host", "defeat", "draw", "lose", "win", "thrash", "edge",
                  "overcome", "trounce", "rout", "hammer", "crush", "outclass", "stun", "upset", "eliminate",
                  "knock", "lead", "trail", "visit", "entertain", "tie", "dismiss", "bowl", "chase", "need"}
#: prepositions whose object is the other side: "against Kent", "v Somerset", "over Yorkshire", "lost to Leeds"
_OPPONENT_PREPS = {"against", "v", "v.", "vs", "vs.", "versus", "over", "beat"}
_LOSING_VERBS = {"lose", "fall", "go", "succumb", "draw", "slip", "crash", "bow"}
#: words after a town that make a club ("Sheffield United", "Notts County") and before one ("Real Madrid")
_CLUB_AFTER = {"united", "city", "town", "county", "rovers", "wanderers", "athletic", "albion", "rangers",
               "hotspur", "thistle", "celtic", "fc", "afc", "argyle", "orient", "villa", "palace", "vale", "forest",
               "wednesday", "academicals", "alexandra", "stanley", "olympic", "sc", "sv", "cf", "sk", "if", "bk"}
_CLUB_BEFORE = {"real", "dynamo", "dinamo", "spartak", "lokomotiv", "locomotive", "torpedo", "cska", "fc", "sc",
                "ofk", "fk", "nk", "sk", "sv", "vfb", "vfl", "tsv", "borussia", "olympique", "sporting", "racing",
                "inter", "atletico", "athletic", "hansa", "eintracht", "fortuna", "hertha", "werder", "slavia",
                "sparta", "steaua", "partizan", "hajduk", "st", "red", "young", "ac", "as", "us", "ssc"}
_FIGURES = re.compile(r"^\d+(?:\.\d)?-\d+-\d+-\d+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CONNECTORS = {"of", "'s", "de", "la", "del"}
#: words that are no team on their own: months, days, articles
_FURNITURE = {"the", "a", "an", "and", "of", "in", "at", "on", "euro", "january", "february", "march", "april", "may",
              "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
              "wednesday", "thursday", "friday", "saturday", "sunday", "division", "group", "round", "total"}
_LOCATIVE = {"in", "at", "near", "from", "outside", "around", "across", "of"}


def is_sports_report(tok: Tokens, scored: list[tuple[int, int, str]] | None = None) -> bool:
    """Four or more distinct sports words, at least one in two hundred tokens; or one sports word and a
    results table (two lines of plain results, or table rows)."""
    if tok.sports is None:
        found = {w for w in tok.lower if w in _SPORTS_WORDS}
        if len(found) >= 4 and len(found) * 200 >= tok.n:
            tok.sports = True
        elif not found:
            tok.sports = False
        else:
            kinds = [kind for _, _, kind in (_scored_names(tok) if scored is None else scored)]
            tok.sports = kinds.count("plain") >= 4 or kinds.count("row") >= 3
    return tok.sports


def _town_like(gaz: Gazetteer, name: str) -> bool:
    """A town the gazetteer knows, or an English county by its ending ("Leicestershire")."""
    return gaz.place_population(name) is not None or name.lower().endswith("shire")


def _is_country(gaz: Gazetteer, text: str) -> bool:
    hit = gaz.lookup(text)
    return hit is not None and hit.entity.type == "country" or gaz.is_region(text)


def _person_like(tok: Tokens, start: int, end: int, gaz: Gazetteer, persons: set[tuple[str, ...]]) -> bool:
    """Initials, a given name before or at the start, or a person named in full elsewhere in the report."""
    if start > 0 and is_initial(tok.text[start - 1]) or any(is_initial(tok.text[i]) for i in range(start, end)):
        return True
    if end - start >= 2 and gaz.is_given_name(tok.text[start]):
        return True
    if start > 0 and tok.title[start - 1] and gaz.is_given_name(tok.text[start - 1]):
        return True
    return tok.key(start, end) in persons or tok.key(end - 1, end) in persons


def _wordlike(tok: Tokens, i: int) -> bool:
    return tok.capitalised(i) and tok.text[i].replace("-", "").replace(".", "").isalpha()


def _name_run_before(tok: Tokens, end: int) -> int:
    """The start of the capitalised run (at most four words) that ends just before ``end`` on its line:
    "Leeds", "Queen 's Park", "Queen of South"."""
    start = end
    while start > 0 and end - start < 4 and not tok.line_end[start - 1]:
        if _wordlike(tok, start - 1):
            start -= 1
        elif tok.lower[start - 1] in _CONNECTORS and start < end and start >= 2 and _wordlike(tok, start - 2):
            start -= 2
        else:
            break
    return start


def _scored_names(tok: Tokens) -> list[tuple[int, int, str]]:
    """Names followed by a score on lines that hold at least two numbers, with the kind of line: "plain"
    ("Leeds 2 Portsmouth 1": two names, each with its score, and nothing else), "row" (a table row: a name,
    then three or more numbers) or "other"."""
    found = []
    line_start = 0
    for i in range(tok.n):
        if not (tok.line_end[i] or i == tok.n - 1):
            continue
        numbers = [j for j in range(line_start, i + 1) if tok.is_score(j)]
        if len(numbers) >= 2 and not _ISO_DATE.match("".join(tok.text[numbers[0] : numbers[0] + 5])):
            names = []
            for j in numbers:
                if _FIGURES.match("".join(tok.text[j : j + 7])):
                    continue  # a bowler's figures, overs-maidens-runs-wickets ("Gough 8-1-37-2")
                if j > line_start and tok.capitalised(j - 1) and not tok.is_score(j - 1):
                    start = _name_run_before(tok, j)
                    if start < j:
                        names.append((start, j))
            words = sum(tok.alpha[j] for j in range(line_start, i + 1))
            named_words = sum(e - s for s, e in names)
            if len(names) == 2 and len(numbers) == 2 and words == named_words:
                kind = "plain"
            elif len(names) == 1 and names[0][0] == line_start and len(numbers) >= 3 and words == named_words:
                kind = "row"
            else:
                kind = "other"
            found += [(s, e, kind) for s, e in names]
        line_start = i + 1
    return found


def _contest_side(token: Token, strict: bool) -> bool:
    """A side in a contest: the subject or object of "beat" or "played", or the name after "against", "v",
    "over" ("lost to Leeds"); unless ``strict``, also any subject or possessor ("Rotor's brief spell")."""
    token = first_conjunct(token)
    head = token.head
    if token.dep_ in {"nsubj", "nsubjpass", "poss"}:
        return not strict or token.dep_ != "poss" and head.lemma_.lower() in _CONTEST_VERBS
    if token.dep_ == "dobj":
        return head.lemma_.lower() in _CONTEST_VERBS
    if token.dep_ == "pobj" and head.lower_ == "to":
        return head.head.lemma_.lower() in _LOSING_VERBS
    return token.dep_ == "pobj" and head.lower_ in _OPPONENT_PREPS


def _club_name(tok: Tokens, start: int, end: int) -> bool:
    words = tok.lower[start:end]
    if len(words) < 2:
        return False
    return words[-1].rstrip(".") in _CLUB_AFTER or words[0].rstrip(".") in _CLUB_BEFORE


def team_candidates(tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """The candidates of a sports report with its teams made organisations (fixed), and the teams the
    statistical NER missed added; other reports come back unchanged.

    Strong evidence comes first: a score after the name, a club word, a contest ("beat Kent", "against
    Kent"). Only a report where that found a team also reads its other subjects, possessors and
    coordinated names as teams ("Essex, Derbyshire and Surrey all closed in"): in a report on athletes
    the towns that host the meetings are places ("Berlin, Brussels and Zurich belong to the series")."""
    if not is_sports_report(tok):
        return candidates
    scored = _scored_names(tok)
    finder = _TeamFinder(tok, candidates, gaz)
    shouting = tok.shouting()
    spoken_of_as_person = {tok.key(c.start, c.end) for c in candidates if c.label == "PERSON"}
    for start, end, kind in scored:
        if kind == "other" and (start in shouting or start > 0 and tok.text[start - 1].islower()):
            continue  # a headline ("WIGAN BEAT BRADFORD 42-20"), a scorecard ("c Stewart b Gough 23")
        # a name the parser took for a person is a team on a result line, in a table or when it is a town
        if kind != "other" or tok.key(start, end) not in spoken_of_as_person \
                or _town_like(gaz, tok.string(start, end)):
            finder.consider(start, end)
    for c in candidates:
        if _club_name(tok, c.start, c.end) and c.label != "NORP" or finder.place_like(c) \
                and _contest_side(tok.doc[c.end - 1], strict=True):
            finder.consider(c.start, c.end)
    if not finder.teams:
        return candidates
    for c in candidates:
        if finder.place_like(c) and _contest_side(tok.doc[c.end - 1], strict=False):
            finder.consider(c.start, c.end)
    team_tokens = {i for start, end in finder.spans for i in range(start, end)}
    for c in candidates:  # "Essex, Derbyshire and Surrey": names joined to a team are teams
        root = tok.doc[c.end - 1]
        linked = [root.head.i] if root.dep_ == "conj" else []
        linked += [child.i for child in children_of(root) if child.dep_ == "conj"]
        if c.label not in {"NORP"} and any(i in team_tokens for i in linked):
            finder.consider(c.start, c.end)
    return _apply(tok, candidates, finder.teams, finder.spans)


class _TeamFinder:
    """Collects the teams of one report, keeping out persons, countries and names the alias table knows."""

    def __init__(self, tok: Tokens, candidates: list[Candidate], gaz: Gazetteer) -> None:
        self.tok, self.gaz = tok, gaz
        full = [c for c in candidates if c.label == "PERSON" and c.end - c.start >= 2]
        self.persons = {tok.key(c.start, c.end) for c in full} | {tok.key(c.end - 1, c.end) for c in full}
        # "A. Mullally" anywhere in the report: the surname after an initial is a person's
        self.persons |= {tok.key(i, i + 1) for i in range(1, tok.n) if is_initial(tok.text[i - 1]) and tok.title[i]}
        self.teams: set[tuple[str, ...]] = set()
        self.spans: list[tuple[int, int]] = []

    def consider(self, start: int, end: int) -> None:
        tok, gaz = self.tok, self.gaz
        text = tok.string(start, end)
        if _is_country(gaz, text) or _person_like(tok, start, end, gaz, self.persons) or gaz.lookup(text) \
                or all(tok.lower[i] in _FURNITURE for i in range(start, end)):
            return
        self.teams.add(tok.key(start, end))
        self.spans.append((start, end))

    def place_like(self, c: Candidate) -> bool:
        """A proper noun that is a place by its label, or a one-word town the parser took for a person or a
        thing ("Surrey", "Essex")."""
        tok = self.tok
        if tok.doc[c.end - 1].pos_ != "PROPN":
            return False
        if c.label in {"GPE", "LOC", "FAC"}:
            return True
        word = tok.text[c.start]
        return c.end - c.start == 1 and c.label in {"PERSON", "MISC", "ORG"} \
            and tok.key(c.start, c.end) not in self.persons \
            and _town_like(self.gaz, word)


def _apply(tok: Tokens, candidates: list[Candidate], teams: set[tuple[str, ...]],
           spans: list[tuple[int, int]]) -> list[Candidate]:
    """Retype every occurrence of a team; a candidate that runs over a team is replaced by it."""
    team_tokens = {i for s, e in spans for i in range(s, e)}
    result: list[Candidate] = []
    for c in candidates:
        covered = [(s, e) for s, e in spans if c.start <= s and e <= c.end and (s, e) != (c.start, c.end)]
        if covered or any(i in team_tokens for i in range(c.start, c.end)) and (c.start, c.end) not in spans:
            continue  # "Boroughmuir 20 Hawick 23" as one name: the teams inside replace it
        if tok.key(c.start, c.end) in teams and not c.fixed \
                and not (c.start > 0 and tok.lower[c.start - 1] in _LOCATIVE):
            c.label, c.fixed = "ORG", True
        result.append(c)
    taken = {i for c in result for i in range(c.start, c.end)}
    for start, end in dict.fromkeys(spans):
        if not any(i in taken for i in range(start, end)):
            result.append(Candidate(start, end, "ORG", True))
            taken.update(range(start, end))
    return result
