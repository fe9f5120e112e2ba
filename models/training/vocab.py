"""Train the shared WordPiece vocabulary and write vocab.txt, tokenizer.json and the parity fixture.

Vocabulary layout (ids in this order):
  1. the five special tokens, [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4;
  2. every CJK character with count >= 2 in the training texts, each its own token (BertNormalizer
     surrounds CJK characters with spaces, so they never need a "##" form);
  3. the alphabet of all other words: each character with count >= 2 as a word-initial token and,
     where it occurs inside a word, as a "##" continuation;
  4. WordPiece merges learned on the non-CJK words (English review texts, product titles, and the
     Latin-script brand/model words inside Chinese reviews) until the target size is reached.

Merge criterion: frequency based (the merge of the adjacent pair with the highest corpus count,
ties broken by the pair's lexical order), i.e. what HF tokenizers' WordPieceTrainer does; the
"likelihood" criterion count(ab)/(count(a)*count(b)) was not used because its scores change for
every pair sharing a symbol after each merge, which makes an incremental trainer far slower in
pure Python for a negligible difference at this vocabulary size.
"""
from __future__ import annotations

import argparse
import heapq
import json
import time
from collections import Counter
from pathlib import Path

import common
from tokenization import SPECIAL_TOKENS, WordPieceTokenizer, basic_words, is_chinese_char

VOCAB_DIR = common.MODELS_DIR / "vocab"


def count_words() -> Counter[str]:
    texts = [r.text for r in common.read_all_reviews() if not r.is_eval] + common.product_titles()
    words: Counter[str] = Counter()
    for text in texts:
        words.update(basic_words(text))
    return words


def train_wordpiece(words: Counter[str], target_size: int, min_count: int = 2) -> list[str]:
    vocab: list[str] = list(SPECIAL_TOKENS)
    seen = set(vocab)

    def add(token: str) -> None:
        if token not in seen:
            seen.add(token)
            vocab.append(token)

    cjk: Counter[str] = Counter()
    initial: Counter[str] = Counter()
    inner: Counter[str] = Counter()
    latin: dict[str, int] = {}
    for word, n in words.items():
        if len(word) == 1 and is_chinese_char(ord(word)):
            cjk[word] += n
            continue
        initial[word[0]] += n
        for ch in word[1:]:
            inner[ch] += n
        if len(word) > 1:
            latin[word] = n
    for ch, n in sorted(cjk.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_count:
            add(ch)
    for ch, n in sorted(initial.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_count:
            add(ch)
    for ch, n in sorted(inner.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_count:
            add("##" + ch)

    # Words made only of known symbols take part in the merges; others cannot be spelled anyway.
    seqs: list[list[str]] = []
    freqs: list[int] = []
    for word, n in latin.items():
        if n < min_count:
            continue
        symbols = [word[0]] + ["##" + ch for ch in word[1:]]
        if all(s in seen for s in symbols):
            seqs.append(symbols)
            freqs.append(n)

    pair_count: Counter[tuple[str, str]] = Counter()
    pair_where: dict[tuple[str, str], set[int]] = {}
    for idx, symbols in enumerate(seqs):
        for pair in zip(symbols, symbols[1:]):
            pair_count[pair] += freqs[idx]
            pair_where.setdefault(pair, set()).add(idx)
    heap = [(-n, pair) for pair, n in pair_count.items()]
    heapq.heapify(heap)

    while len(vocab) < target_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg or -neg < min_count:
            continue  # stale entry: the pair's count changed and a fresher entry exists
        a, b = pair
        merged = a + b[2:]
        add(merged)
        changed: set[tuple[str, str]] = set()
        for idx in list(pair_where.get(pair, ())):
            symbols = seqs[idx]
            n = freqs[idx]
            for p in zip(symbols, symbols[1:]):
                pair_count[p] -= n
                changed.add(p)
                pair_where[p].discard(idx)
            out: list[str] = []
            i = 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            seqs[idx] = out
            for p in zip(out, out[1:]):
                pair_count[p] += n
                changed.add(p)
                pair_where.setdefault(p, set()).add(idx)
        for p in changed:
            n = pair_count[p]
            if n <= 0:
                pair_count.pop(p, None)
                pair_where.pop(p, None)
            else:
                heapq.heappush(heap, (-n, p))
    return vocab


def tokenizer_json(vocab: list[str]) -> dict:
    cls = {"SpecialToken": {"id": "[CLS]", "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, tok in enumerate(SPECIAL_TOKENS)
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [cls, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [cls, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [SPECIAL_TOKENS.index("[CLS]")], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [SPECIAL_TOKENS.index("[SEP]")], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {tok: i for i, tok in enumerate(vocab)}},
    }


def tokenizer_config(max_length: int) -> dict:
    return {
        "tokenizer_class": "BertTokenizer",
        "model_max_length": max_length,
        "do_lower_case": True,
        "tokenize_chinese_chars": True,
        "strip_accents": None,
        "clean_up_tokenization_spaces": True,
        "pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]",
        "mask_token": "[MASK]",
    }


SPECIAL_TOKENS_MAP = {"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]",
                      "sep_token": "[SEP]", "mask_token": "[MASK]"}


def write_tokenizer_files(folder: Path, vocab: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenizer.json").write_text(
        json.dumps(tokenizer_json(vocab), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(
        json.dumps(tokenizer_config(common.MAX_LENGTH), indent=2) + "\n", encoding="utf-8")
    (folder / "special_tokens_map.json").write_text(
        json.dumps(SPECIAL_TOKENS_MAP, indent=2) + "\n", encoding="utf-8")
    (folder / "vocab.txt").write_text("".join(tok + "\n" for tok in vocab), encoding="utf-8")


def load_vocab() -> list[str]:
    return (VOCAB_DIR / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]


PARITY_TEXTS = [
    "这件衣服质量很好，穿着很舒服，推荐购买！",
    "物流太慢了，等了一个星期才到，差评。",
    "酒店位置不错，但是房间有点小，早餐一般。",
    "書籍內容豐富，值得一讀。",
    "外卖送到的时候已经凉了😡",
    "好评👍👍👍",
    "This dress is absolutely gorgeous and fits perfectly.",
    "The fabric felt cheap; I returned it the next day.",
    "Runs small!!! Order one size up...",
    "OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce",
    "WHITE HANGING HEART T-LIGHT HOLDER",
    "iPhone 手机壳很好看，颜色和图片一样，5星好评",
    "用了三天Windows XP就蓝屏了, 客服态度也不好",
    "价格 ¥199.00，比京东便宜20元",
    "Price: $19.99 (was $29.99) -- 33% off",
    "２００１年来福州就住在这里，这次感觉房间就了点。",
    "Café crème brûlée naïve résumé ÀÉÎÕÜ",
    "tab\tseparated\nnew line\r\nand   spaces",
    "",
    "   ",
    "!!!???...,,,",
    "1234567890 3.14159 2024-05-01 10:30",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 120,
    "Ünïcödé ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ and 한국어 텍스트 and 日本語のテキスト",
    "zero\u200bwidth\u200djoiner and\u00a0nbsp and\ufeffbom",
    "Literal [CLS] and [SEP] and [MASK] tokens in text",
    "emoji family 👨‍👩‍👧 and flags 🇨🇳 and ❤️",
    "<b>HTML</b> &amp; e-mail: someone@example.com, url https://shop.example.com/p?id=42",
]


def long_text() -> str:
    base = "这款平板电脑屏幕清晰，运行流畅，电池续航也很给力。The battery lasts all day and the screen is sharp. "
    return (base * 20)[:600]


def write_parity_fixture(tokenizer: WordPieceTokenizer) -> Path:
    texts = PARITY_TEXTS + [long_text()]
    cases = [{"text": t, "ids": tokenizer.encode(t, common.MAX_LENGTH)} for t in texts]
    path = common.MODELS_DIR / "fixtures" / "tokenizer-parity.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="target vocabulary size")
    args = parser.parse_args()
    started = time.time()
    words = count_words()
    print(f"[vocab] {len(words)} distinct pre-tokenized words in {time.time() - started:.1f}s", flush=True)
    vocab = train_wordpiece(words, args.size)
    write_tokenizer_files(VOCAB_DIR, vocab)
    tok = WordPieceTokenizer(vocab)
    fixture = write_parity_fixture(tok)
    n_cjk = sum(1 for t in vocab if len(t) == 1 and is_chinese_char(ord(t)))
    n_cont = sum(1 for t in vocab if t.startswith("##"))
    total = unk = 0
    for word, n in words.items():
        ids = tok.word_ids(word)
        total += n * len(ids)
        unk += n * ids.count(1)
    print(f"[vocab] {len(vocab)} tokens ({n_cjk} CJK characters, {n_cont} ## pieces); "
          f"training-corpus [UNK] rate {unk / max(total, 1):.4%}; wrote {VOCAB_DIR} and {fixture} "
          f"in {time.time() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
