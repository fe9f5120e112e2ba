"""BERT WordPiece tokenizer, the Python twin of the `tokenizer.json` written by vocab.py.

It reproduces, step for step, what HF tokenizers (Rust) and transformers.js do with that file:
BertNormalizer(clean_text, handle_chinese_chars, strip_accents=None -> follows lowercase=True,
lowercase) -> BertPreTokenizer -> WordPiece(greedy longest match, "##", 100 chars max, whole
word -> [UNK] when any piece is missing) -> TemplateProcessing `[CLS] $A [SEP]`.
Training, the parity fixture and the JS inference side therefore see identical ids.
"""
from __future__ import annotations

import re
import unicodedata

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID = range(5)
MAX_INPUT_CHARS_PER_WORD = 100
# Special tokens are "added tokens" in tokenizer.json: both HF tokenizers and transformers.js cut
# them out of the raw text before normalisation, so a literal "[SEP]" in a review is one id.
_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")")

# Rust's char::is_whitespace (Unicode White_Space); Python's str.isspace also accepts U+001C..1F,
# which tokenizers treats as control characters, so the set is spelled out.
_WHITESPACE = frozenset(
    "\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
_CONTROL_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))


def is_chinese_char(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in _CONTROL_CATEGORIES


def is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # ASCII symbols such as $ + < = > ^ ` | ~ are not Unicode punctuation but BERT splits them too.
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def normalize(text: str) -> str:
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if ch in _WHITESPACE:
            out.append(" ")
        elif is_chinese_char(cp):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    text = unicodedata.normalize("NFD", "".join(out))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()


def pre_tokenize(normalized: str) -> list[str]:
    words: list[str] = []
    for chunk in normalized.split():
        current: list[str] = []
        for ch in chunk:
            if is_punctuation(ch):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
    return words


def basic_words(text: str) -> list[str]:
    return pre_tokenize(normalize(text))


class WordPieceTokenizer:
    def __init__(self, vocab: list[str]):
        self.vocab = vocab
        self.token_to_id = {tok: i for i, tok in enumerate(vocab)}
        for i, tok in enumerate(SPECIAL_TOKENS):
            if vocab[i] != tok:
                raise ValueError(f"vocab id {i} must be {tok}, found {vocab[i]!r}")
        self._cache: dict[str, list[int]] = {}

    def word_ids(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        if len(word) > MAX_INPUT_CHARS_PER_WORD:
            ids = [UNK_ID]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                found = -1
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    found = self.token_to_id.get(piece, -1)
                    if found >= 0:
                        break
                    end -= 1
                if found < 0:
                    ids = [UNK_ID]
                    break
                ids.append(found)
                start = end
        if len(self._cache) < 500_000:
            self._cache[word] = ids
        return ids

    def tokenize_ids(self, text: str) -> list[int]:
        ids: list[int] = []
        for i, part in enumerate(_SPECIAL_SPLIT.split(text)):
            if i % 2 == 1:
                ids.append(SPECIAL_TOKENS.index(part))
                continue
            for word in basic_words(part):
                ids.extend(self.word_ids(word))
        return ids

    def encode(self, text: str, max_length: int = 128) -> list[int]:
        """[CLS] tokens [SEP], truncated (tokens from the right) so the total is <= max_length."""
        ids = self.tokenize_ids(text)[: max_length - 2]
        return [CLS_ID] + ids + [SEP_ID]
