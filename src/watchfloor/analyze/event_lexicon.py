"""Our verb and noun lexicon for PLOVER event types and modes.

Written from the PLOVER category definitions (Open Event Data Alliance), not from any gold sentences.
A verb entry maps a lemma to (type, mode); phrasal entries give the particle or object that must be present.
"""

from __future__ import annotations


def _typed(event_type: str, words: str) -> dict[str, tuple[str, str | None]]:
    return dict.fromkeys(words.split(), (event_type, None))


#: lemma -> (PLOVER type, mode or None)
VERBS: dict[str, tuple[str, str | None]] = {
    # ACCUSE: disapprove, criticise, blame, allege, complain officially, sue
    **_typed("ACCUSE", """
        accuse blame condemn criticize criticise denounce decry allege charge fault deplore slam rebuke
        censure castigate lambaste disapprove complain chide assail berate scold vilify reproach object sue
        admonish upbraid excoriate disparage deride ridicule mock scorn belittle reprimand impugn lament
        blast rap denigrate insult defame slander smear brand implicate incriminate pillory
    """),
    # AGREE: agree, express intent to cooperate, promise
    **_typed("AGREE", """
        agree pledge promise vow commit accept offer propose consent conclude reach initial settle
        undertake guarantee assure reaffirm swear concur
    """),
    # AID: economic, military, humanitarian aid
    **_typed("AID", """
        aid assist donate fund finance grant lend loan subsidize subsidise rescue shelter help arm equip
        provide supply airlift compensate
    """),
    # ASSAULT: unconventional violence, violence against civilians
    **_typed("ASSAULT", """
        kill murder massacre assassinate behead execute torture abduct kidnap bomb rape lynch maim injure
        wound stab shoot hijack slaughter terrorize burn loot poison strangle ransack torch mutilate firebomb
    """),
    # FIGHT: conventional military force
    **_typed("FIGHT", """
        fight clash battle shell bombard invade storm strike airstrike ambush besiege capture recapture
        occupy attack assault engage repel repulse advance overrun fire pound target hit down
        retake liberate encircle surround skirmish retaliate counterattack intercept sink penetrate
        strafe torpedo outflank
    """),
    # COERCE: repression, arrests, restrictions, destruction of property
    **_typed("COERCE", """
        demolish destroy hack bulldoze arrest detain imprison jail expel deport ban outlaw confiscate seize
        raid censor suppress crack blockade prosecute sentence convict restrict curb harass intimidate
        summon close shut dissolve disperse evict annex indict interrogate silence crush quell damage
        persecute repress oppress muzzle gag expropriate nationalize nationalise raze impound criminalize
        criminalise purge banish exile
    """),
    # CONCEDE: yield, ease restrictions, accede to demands
    **_typed("CONCEDE", """
        concede ease relax yield admit compromise relent accede acquiesce soften legalize legalise reinstate
        cave rescind retract
    """),
    # CONSULT: meetings, visits, calls, talks, briefings, mediation
    **_typed("CONSULT", """
        meet visit host talk discuss consult confer negotiate brief mediate receive phone travel convene
        telephone tour parley
    """),
    # COOPERATE: material cooperation, shared intelligence
    **_typed("COOPERATE", """
        cooperate collaborate ally partner coordinate share exchange integrate unite extradite
    """),
    # MOBILIZE: deploy, mass or train forces
    **_typed("MOBILIZE", """
        mobilize mobilise deploy mass station redeploy reinforce muster alert conscript draft recruit train
        exercise drill test launch patrol fortify rearm dispatch militarize militarise marshal
    """),
    # PROTEST: demonstrations, riots, strikes
    **_typed("PROTEST", """
        protest demonstrate rally march picket riot sit walkout petition mutiny revolt
    """),
    # REJECT: refuse, deny, veto, defy
    **_typed("REJECT", """
        reject refuse deny dismiss rebuff decline veto oppose spurn repudiate resist defy disregard ignore
        block obstruct halt renege backtrack violate breach flout contravene snub dispute contest disavow
        disown scrap abrogate
    """),
    # REQUEST: demand, appeal, urge
    **_typed("REQUEST", """
        request demand urge ask appeal press plead seek insist invite implore beg encourage lobby exhort
        solicit entreat order
    """),
    # RETREAT: withdraw, release, return, ease sanctions, allow access, surrender
    **_typed("RETREAT", """
        withdraw retreat evacuate demobilize demobilise disarm disband abandon flee pull leave remove
        dismantle decommission cease release free return lift surrender resign allow permit reopen cede
        disengage capitulate repatriate relinquish vacate
    """),
    # SANCTION: reduce relations, embargo, boycott
    **_typed("SANCTION", """
        sanction embargo boycott suspend sever freeze penalize penalise cut downgrade recall break revoke
        cancel terminate blacklist withhold exclude bar ostracize ostracise isolate
    """),
    # SUPPORT: praise, endorse, recognise, sign formal agreements, apologise
    **_typed("SUPPORT", """
        support back praise endorse welcome hail applaud commend laud thank congratulate defend champion
        approve salute side apologize apologise pardon sign forgive ratify recognize recognise normalize
        normalise honor honour acclaim extol compliment
    """),
    # THREATEN: threats and ultimatums
    **_typed("THREATEN", """
        threaten warn menace ultimatum
    """),
    # INVESTIGATE: investigations and inquiries
    **_typed("INVESTIGATE", """
        investigate probe inspect examine audit monitor scrutinize scrutinise
    """),
}

#: event nouns -> (type, mode); used for nominal events ("the deployment of troops", "a phone call")
NOUNS: dict[str, tuple[str, str | None]] = {
    "deployment": ("MOBILIZE", None), "mobilization": ("MOBILIZE", None), "mobilisation": ("MOBILIZE", None),
    "buildup": ("MOBILIZE", None), "build-up": ("MOBILIZE", None), "exercise": ("MOBILIZE", "exercise"),
    "drill": ("MOBILIZE", "exercise"), "dispatch": ("MOBILIZE", None), "transfer": ("MOBILIZE", None),
    "meeting": ("CONSULT", "meet"), "talks": ("CONSULT", "meet"), "talk": ("CONSULT", "meet"),
    "visit": ("CONSULT", "visit"), "trip": ("CONSULT", "visit"), "summit": ("CONSULT", "meet"),
    "call": ("CONSULT", "phone"), "conversation": ("CONSULT", "phone"), "briefing": ("CONSULT", "meet"),
    "negotiation": ("CONSULT", "meet"), "consultation": ("CONSULT", "meet"), "dialogue": ("CONSULT", "meet"),
    "attack": ("FIGHT", None), "offensive": ("FIGHT", None), "invasion": ("FIGHT", None),
    "assault": ("FIGHT", None), "strike": ("FIGHT", None), "airstrike": ("FIGHT", None), "clash": ("FIGHT", None),
    "battle": ("FIGHT", None), "shelling": ("FIGHT", None), "combat": ("FIGHT", None), "fighting": ("FIGHT", None),
    "bombing": ("ASSAULT", None), "killing": ("ASSAULT", None), "massacre": ("ASSAULT", None),
    "assassination": ("ASSAULT", "assassinate"), "kidnapping": ("ASSAULT", None), "abduction": ("ASSAULT", None),
    "sanction": ("SANCTION", None), "sanctions": ("SANCTION", None), "embargo": ("SANCTION", None),
    "boycott": ("SANCTION", None), "aid": ("AID", None), "assistance": ("AID", None), "support": ("SUPPORT", None),
    "protest": ("PROTEST", None), "demonstration": ("PROTEST", None), "rally": ("PROTEST", None),
    "withdrawal": ("RETREAT", None), "retreat": ("RETREAT", None), "ceasefire": ("RETREAT", "ceasefire"),
    "cease-fire": ("RETREAT", "ceasefire"), "truce": ("RETREAT", "ceasefire"), "release": ("RETREAT", "release"),
    "lawsuit": ("ACCUSE", None), "suit": ("ACCUSE", None), "riot": ("PROTEST", "riot"), "riots": ("PROTEST", "riot"),
    "war games": ("COOPERATE", "military"), "curfew": ("COERCE", "curfew"), "suspension": ("SANCTION", None),
    "agreement": ("AGREE", None), "treaty": ("AGREE", None), "pact": ("AGREE", None), "deal": ("AGREE", None),
    "accord": ("AGREE", None), "partnership": ("COOPERATE", None), "cooperation": ("COOPERATE", None),
    "alliance": ("COOPERATE", None), "arrest": ("COERCE", None), "detention": ("COERCE", None),
    "crackdown": ("COERCE", None), "expulsion": ("COERCE", None), "ban": ("COERCE", None),
    "threat": ("THREATEN", None), "ultimatum": ("THREATEN", None), "warning": ("THREATEN", None),
    "accusation": ("ACCUSE", None), "condemnation": ("ACCUSE", None), "criticism": ("ACCUSE", None),
    "denial": ("REJECT", None), "rejection": ("REJECT", None), "refusal": ("REJECT", None), "veto": ("REJECT", None),
    "demand": ("REQUEST", None), "request": ("REQUEST", None), "appeal": ("REQUEST", None),
    "investigation": ("INVESTIGATE", None), "inquiry": ("INVESTIGATE", None), "probe": ("INVESTIGATE", None),
    "offer": ("AGREE", None), "proposal": ("AGREE", None), "pledge": ("AGREE", None), "promise": ("AGREE", None),
    "praise": ("SUPPORT", None), "endorsement": ("SUPPORT", None), "recognition": ("SUPPORT", None),
    "apology": ("SUPPORT", None), "ambush": ("FIGHT", None), "siege": ("FIGHT", None), "bombardment": ("FIGHT", None),
    "shootout": ("FIGHT", None), "blockade": ("COERCE", None), "raid": ("COERCE", None), "seizure": ("COERCE", None),
    "deportation": ("COERCE", None), "confiscation": ("COERCE", None), "walkout": ("PROTEST", None),
    "march": ("PROTEST", "demo"), "sit-in": ("PROTEST", "demo"), "evacuation": ("RETREAT", None),
    "pullout": ("RETREAT", None), "surrender": ("RETREAT", None), "amnesty": ("CONCEDE", None),
    "concession": ("CONCEDE", None), "mediation": ("CONSULT", "mediate"), "inspection": ("INVESTIGATE", None),
    "hijacking": ("ASSAULT", "abduct"), "execution": ("ASSAULT", None), "torture": ("ASSAULT", None),
    "tribute": ("SUPPORT", None), "homage": ("SUPPORT", None),
}

#: objects that turn a general verb into an event ("send troops", "provide weapons", "impose sanctions")
VERB_OBJECT: dict[tuple[str, str], tuple[str, str | None]] = {
    **{(v, o): ("AID", "military") for v in ("send", "provide", "supply", "deliver", "give", "ship", "transfer", "sell")
       for o in ("weapon", "arm", "ammunition", "shell", "missile", "tank", "artillery", "drone", "jet", "equipment",
                 "munition", "rocket", "launcher", "system")},
    **{(v, o): ("AID", "military") for v in ("send", "dispatch", "provide", "contribute", "commit")
       for o in ("troop", "soldier", "force", "personnel", "unit", "brigade", "battalion", "fighter", "worker")},
    **{(v, o): ("AID", "humanitarian") for v in ("send", "provide", "deliver", "give", "ship", "airlift")
       for o in ("food", "medicine", "aid", "supply", "relief", "shelter", "water", "vaccine", "tent")},
    **{(v, o): ("AID", "economic") for v in ("give", "provide", "grant", "lend", "send")
       for o in ("loan", "money", "fund", "credit", "grant", "dollar", "euro", "cash", "budget")},
    **{(v, o): ("SANCTION", None) for v in ("impose", "slap", "announce", "adopt", "approve", "extend", "tighten")
       for o in ("sanction", "embargo", "tariff", "penalty", "restriction", "ban")},
    **{(v, o): ("RETREAT", "ease") for v in ("lift", "ease", "remove", "suspend", "shorten", "relax")
       for o in ("sanction", "embargo", "blockade", "siege")},
    # easing administrative restrictions: curfews, emergency rule, bans (CAMEO 081)
    **{(v, o): ("CONCEDE", None) for v in ("lift", "ease", "remove", "relax", "shorten", "end", "suspend", "loosen")
       for o in ("restriction", "ban", "censorship", "control", "curfew", "emergency", "state", "law", "rule")},
    # withdrawing inspectors, observers or peacekeepers reduces relations (CAMEO 166)
    **{(v, o): ("SANCTION", "expel") for v in ("withdraw", "pull", "recall", "remove", "evacuate")
       for o in ("inspector", "observer", "monitor", "peacekeeper", "peacekeeping", "mission", "worker", "staff")},
    **{(v, o): ("CONCEDE", None) for v in ("accept", "meet", "grant") for o in ("demand", "request")},
    **{(v, o): ("COOPERATE", "intelligence") for v in ("share", "exchange", "provide", "pass")
       for o in ("intelligence", "information", "evidence", "data")},
    **{(v, o): ("SUPPORT", None) for v in ("establish", "restore", "resume", "open")
       for o in ("tie", "relation", "embassy")},
    **{(v, o): ("SANCTION", None) for v in ("suspend", "sever", "cut", "break", "downgrade", "halt")
       for o in ("tie", "relation", "link", "aid", "contact", "cooperation")},
    **{(v, o): ("COERCE", None) for v in ("impose", "declare", "order") for o in ("curfew", "martial", "emergency")},
    **{(v, o): ("PROTEST", None) for v in ("block", "blockade", "occupy") for o in ("road", "roadway", "street",
                                                                                   "bridge", "highway", "railway")},
    **{(v, o): ("FIGHT", None) for v in ("mount", "launch", "begin", "start", "open", "resume", "continue",
                                         "intensify", "escalate", "renew")
       for o in ("invasion", "offensive", "attack", "assault", "strike", "fire", "raid", "bombardment", "fighting",
                 "shelling", "hostility", "war", "operation", "airstrike")},
    **{(v, o): ("CONSULT", "meet") for v in ("hold", "have", "conduct", "open", "begin", "start", "resume")
       for o in ("talk", "meeting", "negotiation", "consultation", "summit", "dialogue")},
    **{(v, o): ("CONSULT", "phone") for v in ("hold", "have", "make", "receive")
       for o in ("call", "conversation")},
    **{(v, o): ("PROTEST", None) for v in ("hold", "stage", "organize", "organise", "launch", "begin", "call",
                                           "continue", "start", "mount")
       for o in ("protest", "demonstration", "rally", "strike", "march", "sit-in", "boycott")},
    **{(v, o): ("THREATEN", None) for v in ("issue", "make", "deliver")
       for o in ("threat", "ultimatum", "warning")},
    **{(v, o): ("MOBILIZE", None) for v in ("mass", "move", "build", "amass", "gather", "station", "position")
       for o in ("troop", "soldier", "force", "tank", "unit")},
    **{(v, o): ("RETREAT", None) for v in ("pull", "withdraw", "remove", "bring")
       for o in ("troop", "soldier", "force", "unit", "diplomat", "ambassador")},
    **{(v, o): ("SANCTION", None) for v in ("expel", "recall")
       for o in ("diplomat", "ambassador", "envoy", "inspector", "observer", "monitor", "mission")},
    **{(v, o): ("SANCTION", None) for v in ("end", "halt", "suspend", "break", "abandon", "freeze")
       for o in ("talk", "mediation", "negotiation", "dialogue", "relation", "tie")},
    **{(v, o): ("ACCUSE", None) for v in ("summon",) for o in ("ambassador", "envoy", "diplomat", "charge")},
    **{(v, o): ("ACCUSE", None) for v in ("lodge", "file", "register") for o in ("protest", "complaint", "lawsuit")},
    **{(v, o): ("INVESTIGATE", None) for v in ("launch", "open", "begin", "order", "start", "conduct", "announce")
       for o in ("investigation", "probe", "inquiry", "hearing", "inquest")},
    **{(v, o): ("REJECT", None) for v in ("reject", "deny", "dismiss") for o in ("report", "claim", "allegation")},
    # a show of force: "ordered patrols", "stepped up patrols" (CAMEO 15)
    **{(v, o): ("MOBILIZE", None) for v in ("order", "increase", "intensify", "mount", "begin", "start")
       for o in ("patrol", "deployment", "reinforcement", "mobilization", "mobilisation", "alert")},
    # obstructing passage and stopping work are protest (CAMEO 14)
    **{(v, o): ("PROTEST", None) for v in ("block", "blockade", "obstruct")
       for o in ("transport", "traffic", "access", "entrance", "convoy", "port", "border")},
    **{(v, o): ("PROTEST", "strike") for v in ("stop", "halt", "down") for o in ("work", "tool")},
    # easing restrictions on political freedoms and parties (CAMEO 0811, 0812): "allowed the candidate to run"
    **{(v, o): ("CONCEDE", None) for v in ("allow", "permit", "let")
       for o in ("candidate", "opposition", "leader", "party", "journalist", "newspaper", "rally", "protest",
                 "demonstration", "election", "dissident", "activist")},
    **{(v, o): ("CONSULT", "mediate") for v in ("launch", "begin", "start", "open", "resume", "offer")
       for o in ("mediation",)},
    # asylum is aid (CAMEO 075); an amnesty eases dissent (CAMEO 082)
    **{(v, o): ("AID", "asylum") for v in ("grant", "offer", "give") for o in ("asylum", "refuge")},
    **{(v, o): ("CONCEDE", None) for v in ("grant", "offer", "declare", "announce") for o in ("amnesty", "pardon")},
    # taking hostages is unconventional violence (CAMEO 181)
    **{(v, o): ("ASSAULT", "abduct") for v in ("take", "hold", "seize") for o in ("hostage", "captive")},
    **{(v, o): ("FIGHT", None) for v in ("exchange", "trade", "wage") for o in ("fire", "war", "gunfire", "blow")},
    **{(v, o): ("COOPERATE", "military") for v in ("join",) for o in ("force", "coalition", "alliance")},
    **{(v, o): ("SANCTION", None) for v in ("stop", "withhold", "reduce", "end")
       for o in ("aid", "assistance", "loan", "funding", "payment", "supply")},
    **{(v, o): ("SANCTION", None) for v in ("close", "shut") for o in ("embassy", "consulate", "mission", "border")},
    # what is expressed or voiced gives the type: support, condolences, concern, willingness, opposition
    **{(v, o): ("SUPPORT", None) for v in ("express", "voice", "extend", "offer", "reaffirm", "declare", "pledge")
       for o in ("support", "backing", "solidarity", "condolence", "sympathy", "gratitude", "thanks", "appreciation",
                 "congratulation", "regret", "apology")},
    **{(v, o): ("ACCUSE", None) for v in ("express", "voice", "register", "convey")
       for o in ("concern", "disapproval", "dismay", "outrage", "indignation", "anger", "displeasure", "protest",
                 "alarm", "disappointment")},
    **{(v, o): ("AGREE", None) for v in ("express", "voice", "signal", "indicate", "declare", "announce")
       for o in ("willingness", "readiness", "desire", "intention", "commitment")},
    **{(v, o): ("REJECT", None) for v in ("express", "voice", "declare", "announce", "reiterate")
       for o in ("opposition", "objection", "rejection", "refusal")},
    **{(v, o): ("RETREAT", "ceasefire") for v in ("declare", "announce", "observe", "agree")
       for o in ("ceasefire", "cease-fire", "truce", "armistice")},
    **{(v, o): ("COERCE", None) for v in ("issue",) for o in ("warrant", "ban", "order")},
    **{(v, o): ("THREATEN", None) for v in ("reserve",) for o in ("right",)},
    **{(v, o): ("COERCE", "martial-law") for v in ("impose", "declare", "introduce") for o in ("law",)},
    **{(v, o): ("THREATEN", None) for v in ("give", "issue", "set", "deliver", "present")
       for o in ("ultimatum", "deadline")},
    **{(v, o): ("AID", "economic") for v in ("approve", "grant", "extend", "disburse", "release")
       for o in ("loan", "credit", "grant", "aid", "fund", "funding", "package", "assistance", "tranche")},
    **{(v, o): ("CONCEDE", None) for v in ("hand", "transfer", "cede", "relinquish", "surrender", "yield")
       for o in ("power", "control", "office", "authority")},
    # widening freedoms and rights is yielding (CAMEO 0811, 0343)
    **{(v, o): ("CONCEDE", None) for v in ("enhance", "expand", "restore", "broaden", "guarantee", "extend")
       for o in ("freedom", "right", "liberty", "democracy", "autonomy")},
    **{(v, o): ("MOBILIZE", None) for v in ("order",) for o in ("troop", "soldier", "force", "warship", "unit")},
    **{(v, o): ("COERCE", None) for v in ("order",) for o in ("arrest", "detention", "closure", "expulsion",
                                                              "deportation", "demolition")},
    **{(v, o): ("RETREAT", None) for v in ("order",) for o in ("withdrawal", "evacuation", "release", "pullout")},
    # silencing the press is repression (CAMEO 1721)
    **{(v, o): ("COERCE", "censor") for v in ("suspend", "halt", "stop", "ban", "close", "shut")
       for o in ("publication", "broadcast", "broadcasting", "newspaper", "station", "website", "channel")},
    **{(v, o): ("ASSAULT", "arson") for v in ("set",) for o in ("fire", "ablaze", "alight")},
    # taking a place by force, and laying bombs
    **{(v, o): ("FIGHT", None) for v in ("take", "seize", "gain", "wrest", "establish") for o in ("control",)},
    **{(v, o): ("ASSAULT", "explosives") for v in ("plant", "detonate", "set") for o in ("bomb", "explosive", "device",
                                                                                        "mine")},
}

#: particles that change a verb's meaning ("call on" = REQUEST, "pull out" = RETREAT, "crack down" = COERCE)
PHRASAL: dict[tuple[str, str], tuple[str, str | None]] = {
    ("call", "on"): ("REQUEST", None), ("call", "for"): ("REQUEST", None), ("pull", "out"): ("RETREAT", None),
    ("pull", "back"): ("RETREAT", None), ("crack", "down"): ("COERCE", None), ("back", "down"): ("CONCEDE", None),
    ("step", "down"): ("CONCEDE", None), ("give", "up"): ("CONCEDE", None), ("set", "up"): ("AGREE", None),
    ("sit", "down"): ("CONSULT", "meet"), ("speak", "with"): ("CONSULT", "phone"), ("talk", "with"): ("CONSULT", "meet"),
    ("walk", "out"): ("PROTEST", None), ("shut", "down"): ("COERCE", None), ("break", "off"): ("SANCTION", None),
    ("cut", "off"): ("SANCTION", None), ("blow", "up"): ("COERCE", None), ("beat", "up"): ("ASSAULT", None), ("hand", "over"): ("CONCEDE", None), ("stand", "by"): ("SUPPORT", None),
    ("side", "with"): ("SUPPORT", None), ("speak", "out"): ("ACCUSE", None), ("lash", "out"): ("ACCUSE", None),
    ("turn", "down"): ("REJECT", None), ("rule", "out"): ("REJECT", None), ("back", "out"): ("REJECT", None),
    ("round", "up"): ("COERCE", None), ("gun", "down"): ("ASSAULT", None), ("team", "up"): ("COOPERATE", None),
    ("look", "into"): ("INVESTIGATE", None), ("hand", "back"): ("RETREAT", "return"),
    ("open", "fire"): ("FIGHT", None), ("fire", "on"): ("FIGHT", None), ("hit", "out"): ("ACCUSE", None),
    ("bail", "out"): ("AID", "economic"), ("bow", "to"): ("CONCEDE", None), ("rise", "up"): ("PROTEST", None),
    ("vote", "down"): ("REJECT", None), ("turn", "back"): ("COERCE", "deport"), ("turn", "away"): ("COERCE", "deport"), ("brush", "aside"): ("REJECT", None), ("work", "together"): ("COOPERATE", None), ("call", "up"): ("MOBILIZE", None), ("shoot", "dead"): ("ASSAULT", None),
}

#: modes read off the trigger or its object for a given type
MODE_WORDS: dict[str, dict[str, str]] = {
    "CONSULT": {"visit": "visit", "travel": "visit", "trip": "visit", "phone": "phone", "call": "phone",
                "telephone": "phone", "meet": "meet", "talk": "meet", "host": "host", "receive": "host",
                "brief": "meet", "summit": "meet", "mediate": "mediate"},
    "AID": {"weapon": "military", "arm": "military", "troop": "military", "soldier": "military",
            "ammunition": "military", "food": "humanitarian", "medicine": "humanitarian", "relief": "humanitarian",
            "humanitarian": "humanitarian", "loan": "economic", "fund": "economic", "financial": "economic",
            "economic": "economic", "military": "military"},
    "FIGHT": {"shell": "artillery", "bombard": "artillery", "airstrike": "aerial", "strike": "aerial",
              "drone": "aerial", "missile": "aerial"},
    "PROTEST": {"strike": "strike", "riot": "riot", "demonstrate": "demo", "march": "demo", "rally": "demo"},
}

#: reporting verbs: the speech act itself is not an event unless it is in VERBS with a type
SPEECH_ONLY = {"say", "tell", "report", "state", "add", "note", "announce", "confirm", "claim", "write", "post",
               "explain", "declare", "indicate", "believe", "think", "estimate", "assess", "know", "learn", "show"}
