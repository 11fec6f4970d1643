"""Folder plugin ``quotation``: quotes, reporting verbs and who speaks (English and Russian).

The codebook labels the stance a paragraph conveys, its author's or a quoted
speaker's, so who is quoted, and how, carries much of it: a CSTO official
defends the Organization, an Armenian minister criticises it, a Russian
spokeswoman warns against the West, and words in scare quotes are loaded.
Features, per paragraph:

* ``quoted_share``: the share of its characters inside quotation marks
  ("...", “...”, «...», „...“);
* ``direct_quote``, ``scare_quote``: ``log(1 + count)`` of quotations longer
  than ``scare_quote_words`` words, and of shorter ones ("so-called «monitoring»");
* ``reporting_verb``: neutral reporting ("said", "told", "noted", "according
  to", "заявил", "по словам"); ``reporting_stance``: reporting that takes a
  side ("claimed", "insisted", "admitted", "accused", "утверждает", "признал");
* ``speaker_russian``, ``speaker_armenian``, ``speaker_csto``,
  ``speaker_western``: an official of that side, by name or title, in a
  sentence that reports speech (has a reporting verb or a quotation).

``match_spans`` gives the quotations, the verbs and the speakers' names.
"""

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.hookspecs import hookimpl

__version__ = "1.0"

QUOTE = re.compile(r'"[^"\n]+"|“[^”\n]+”|«[^»\n]+»|„[^“”\n]+[“”]')

REPORTING: dict[str, tuple[str, ...]] = {
    "reporting_verb": (
        r"said", r"says", r"say", r"told", r"tells", r"noted", r"notes", r"stated", r"states", r"stressed",
        r"emphasi[sz]ed", r"underlined", r"added", r"declared", r"announced", r"explained", r"recalled",
        r"pointed out", r"remarked", r"wrote", r"according to", r"quoted", r"in an interview",
        r"заявил\w*", r"заявля\w*", r"сказал\w*", r"отметил\w*", r"подчеркнул\w*", r"сообщил\w*",
        r"добавил\w*", r"пояснил\w*", r"напомнил\w*", r"указал\w*", r"по (?:его|её|ее|их) словам",
        r"по словам", r"говорит\w*", r"цитиру\w*",
    ),
    "reporting_stance": (
        r"claim\w*", r"insist\w*", r"alleg\w*", r"admit\w*", r"accus\w*", r"den(?:y|ied|ies)", r"reject\w*",
        r"warn\w*", r"complain\w*", r"lament\w*", r"boast\w*", r"assur\w*", r"promis\w*",
        r"утвержда\w*", r"настаива\w*", r"признал\w*", r"признаёт", r"признает", r"обвин\w*",
        r"опроверг\w*", r"отверг\w*", r"предупред\w*", r"пожаловал\w*", r"заверил\w*", r"пообещал\w*",
    ),
}
"""Reporting-verb families: regular expressions matched case-insensitively between word boundaries."""

SPEAKERS: dict[str, tuple[str, ...]] = {
    "speaker_russian": (
        r"(?-i:Putin|Lavrov|Zakharova|Peskov|Shoigu|Medvedev|Galuzin|Overchuk|Grushko|Rudenko|Kop[iy]rkin)",
        r"the kremlin", r"(?-i:Moscow)", r"russia'?s? (?:foreign|defen[cs]e) minist\w+",
        r"russian (?:president|foreign minist\w+|defen[cs]e minist\w+|ambassador|diplomat\w*|officials?|"
        r"deputy foreign minister|spokes\w+|embassy|mfa)",
        r"(?-i:Путин\w*|Лавров\w*|Захаров\w*|Песков\w*|Шойгу|Медведев\w*|Галузин\w*|Оверчук\w*|Копыркин\w*)",
        r"кремл\w*", r"мид (?:россии|рф)", r"российск\w+ (?:президент|министр|посол|дипломат|мид|официальн)\w*",
    ),
    "speaker_armenian": (
        r"(?-i:Pashinyan|Mirzoyan|Grigoryan|Papikyan|Simonyan|Kocharyan|Sargsyan|Khachatryan)",
        r"armenian (?:prime minister|premier|pm|foreign minist\w+|defen[cs]e minist\w+|president|officials?|"
        r"government|authorities|diplomat\w*|ambassador|security council|parliament|speaker)",
        r"armenia'?s? (?:prime minister|foreign minist\w+|defen[cs]e minist\w+|leadership|government)",
        r"(?-i:Yerevan)", r"(?-i:Пашинян\w*|Мирзоян\w*|Григорян\w*|Папикян\w*|Симонян\w*)",
        r"армянск\w+ (?:премьер|министр|мид|власт|руководств|официальн|дипломат)\w*", r"(?-i:Ереван\w*)",
    ),
    "speaker_csto": (
        r"(?-i:Zas|Tasmagambetov|Sidorov|Masadykov)",
        r"(?:csto|the organi[sz]ation'?s?) (?:secretary[- ]general|secretariat|spokes\w+|press service|"
        r"joint staff|chief of (?:the )?joint staff|deputy secretary[- ]general)",
        r"secretary[- ]general of the (?:csto|collective security treaty organi[sz]ation)",
        r"(?-i:Зас\w*|Тасмагамбетов\w*|Сидоров\w*)", r"генсек\w* одкб", r"генеральн\w+ секретар\w+ одкб",
        r"секретариат\w* одкб", r"объединенн\w+ штаб\w* одкб", r"объединённ\w+ штаб\w* одкб",
    ),
    "speaker_western": (
        r"(?-i:Borrell|Blinken|Macron|Michel|von der Leyen|Stoltenberg|Sullivan|O'Brien|Miller|Kallas|Biden|"
        r"Klaar|Scholz|Baerbock|Colonna)",
        r"(?:eu|european union|nato|u\.?s\.?|american|state department|pentagon|white house|french|german|"
        r"european|western) (?:high representative|special representative|envoy|spokes\w+|officials?|"
        r"diplomat\w*|ambassador|secretary(?: of state)?|president|foreign minist\w+|commission)",
        r"the state department", r"(?-i:Washington|Brussels|Paris)",
        r"(?-i:Боррел\w*|Блинкен\w*|Макрон\w*|Мишел\w*|Столтенберг\w*)", r"госдеп\w*", r"белый дом",
        r"(?:американск|европейск|французск|западн)\w+ (?:дипломат|посол|чиновник|официальн|политик)\w*",
        r"(?-i:Вашингтон\w*|Брюссел\w*)",
    ),
}
"""Officials of each side, by name (case-sensitive) or title."""

_SENTENCE = re.compile(r".+?(?:[.!?…]+(?=\s+[\"“«A-ZА-ЯЁ])|$)", re.DOTALL)
"""A sentence: up to a full stop that is followed by a capital or a quotation mark."""


def _compile(fragments: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(fragments) + r")(?!\w)", re.IGNORECASE)


_REPORTING = {family: _compile(fragments) for family, fragments in REPORTING.items()}
_SPEAKERS = {family: _compile(fragments) for family, fragments in SPEAKERS.items()}
FEATURES = ("quoted_share", "direct_quote", "scare_quote", *REPORTING, *SPEAKERS)


class QuotationExtractor(TransformerMixin, BaseEstimator):
    """Quotations, reporting verbs and speakers per paragraph (see the module
    docstring); a quotation of at most ``scare_quote_words`` words is a scare quote."""

    def __init__(self, scare_quote_words=3):
        self.scare_quote_words = scare_quote_words

    def fit(self, texts, y=None):
        """Fix the feature names (nothing is learned from data)."""
        self.feature_names_ = np.asarray(FEATURES, dtype=object)
        return self

    def transform(self, texts):
        """A dense matrix, one row per text, one column per feature."""
        check_is_fitted(self, "feature_names_")
        rows = []
        for text in texts:
            spans = self.match_spans(text)
            quoted = sum(end - start for start, end in spans.get("quoted_share", ()))
            counts = [len(spans.get(name, ())) for name in FEATURES[1:]]
            rows.append([quoted / max(len(text), 1), *np.log1p(counts)])
        return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))

    def get_feature_names_out(self, input_features=None):
        """The names of ``FEATURES``."""
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def match_spans(self, text):
        """Feature -> ``(start, end)`` offsets in ``text``: quotations, verbs, speakers' names or titles."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for match in QUOTE.finditer(text):
            kind = "scare_quote" if len(match.group().split()) <= self.scare_quote_words else "direct_quote"
            spans.setdefault("quoted_share", []).append(match.span())
            spans.setdefault(kind, []).append(match.span())
        for family, pattern in _REPORTING.items():
            found = [match.span() for match in pattern.finditer(text)]
            if found:
                spans[family] = found
        for sentence in _SENTENCE.finditer(text):
            if not _reports_speech(sentence.group()):
                continue
            for family, pattern in _SPEAKERS.items():
                for match in pattern.finditer(sentence.group()):
                    start = sentence.start() + match.start()
                    spans.setdefault(family, []).append((start, start + len(match.group())))
        return spans


def _reports_speech(sentence: str) -> bool:
    return bool(QUOTE.search(sentence)) or any(pattern.search(sentence) for pattern in _REPORTING.values())


@hookimpl
def register_extractors(register):
    register(
        "quotation",
        QuotationExtractor,
        version=__version__,
        description="quotations, reporting verbs and speakers (Russian, Armenian, CSTO, Western) (en, ru)",
    )
