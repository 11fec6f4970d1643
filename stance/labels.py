"""The codebook's vocabulary: targets, stance labels and rhetoric tags.

Everything that names a label (data checks, training, results, the service)
takes it from here, so the classifier predicts exactly the codebook's set.
"""

TARGETS: tuple[str, ...] = ("csto", "west")
"""Stance targets: the CSTO's effectiveness, Western involvement in the region."""

STANCE_LABELS: tuple[str, ...] = ("favor", "against", "none")
"""Labels every target takes."""

RHETORIC_TAGS: tuple[str, ...] = (
    "loaded_language",
    "name_calling",
    "appeal_to_values",
    "appeal_to_authority",
    "denial",
    "false_dilemma",
    "exaggeration_minimisation",
    "appeal_to_fear",
    "doubt",
)
"""Persuasion devices a paragraph may use (zero or more)."""

SOURCES: tuple[str, ...] = ("seed", "written", "user")
"""Where a labeled paragraph's text comes from: the client's seed articles, the
project's own written paragraphs, or a user's own sources labeled in the
labeling loop (``stance data import``)."""

TARGET_QUESTIONS: dict[str, str] = {
    "csto": "Does the paragraph present the CSTO (its bodies, decisions, forces, missions, offers of help) "
    "as an effective, reliable guarantor of its members' security?",
    "west": "Does the paragraph welcome or criticise the involvement of Western actors (the EU, NATO, the US, "
    "'the West', Western missions) in the South Caucasus, Central Asia or the post-Soviet space?",
}
"""Each target's question, in the codebook's words, one line each."""

LABEL_DEFINITIONS: dict[str, dict[str, str]] = {
    "csto": {
        "favor": "effective, capable, useful, reliable or without alternative; defended against charges of failure",
        "against": "ineffective, failing, unreliable, divided, absent, paralysed, or abandoning a member",
        "none": "no evaluation of its effectiveness: not mentioned, or only in neutral facts",
    },
    "west": {
        "favor": "welcomed, supported or legitimised: a helpful mission, sensible ties with the EU or US, constructive mediation",
        "against": "criticised or warned against: militarisation, interference, spying, dictate, outsiders who bring no peace",
        "none": "no stance on Western involvement, including no mention of it",
    },
}
"""The codebook's one-line definition of each label of each target."""

TAG_DEFINITIONS: dict[str, str] = {
    "loaded_language": "emotionally charged words or scare quotes that sway beyond what the facts need",
    "name_calling": "labels an actor or group with an othering or derogatory name",
    "appeal_to_values": "justifies a position by sovereignty, equality, fairness, solidarity, peace or similar values",
    "appeal_to_authority": "backs a claim by invoking a leader, an institution or a consensus as authority",
    "denial": "flatly rejects a criticism or claim as false, baseless or out of place",
    "false_dilemma": "presents one option as the only possible one",
    "exaggeration_minimisation": "overstates a success or downplays a problem, failure or disagreement",
    "appeal_to_fear": "warns of a threat or danger to win support for a position",
    "doubt": "questions the credibility, motives or competence of an actor",
}
"""The codebook's one-line definition of each rhetoric tag."""
