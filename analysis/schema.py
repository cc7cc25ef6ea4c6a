"""Column contracts of the tables that flow between stages.

Every stage reads and writes these columns; tests check them, so a change here is a
change of the kit's public data format.
"""

ROLES = ("achievement", "shortcoming", "task", "target", "proposal", "context")
DOC_TYPES = ("thong_bao", "ke_hoach", "cong_van", "bao_cao", "quyet_dinh", "tin_bai", "other")
CORE_TOPICS = ("gdpt2018", "chuyen_doi_so", "thu_chi", "pho_cap")
FIELD_SOURCES = ("text", "manifest", "unknown")
TEXT_SOURCES = ("text", "ocr", "mixed")

# Fields whose origin is recorded in <field>_source and <field>_evidence.
TRACED_FIELDS = ("province", "date", "period", "doc_type")

DOCUMENT_COLUMNS = [
    "doc_id", "path", "sha256", "title", "doc_type", "province", "province_2025",
    "date", "period", "signer", "chair", "n_passages", "n_words",
    *[f"{field}_{kind}" for field in TRACED_FIELDS for kind in ("source", "evidence")],
    "source_note", "check",
    # Where the text came from ("text", "ocr", "mixed") and, when OCR read some of it, the mean
    # Tesseract word confidence and the share of valid Vietnamese syllables (0..1; NaN otherwise).
    "text_source", "ocr_confidence", "ocr_valid_syllables",
]

PASSAGE_COLUMNS = ["doc_id", "passage_id", "section", "role", "text"]

TAG_COLUMNS = ["doc_id", "passage_id", "topic", "term", "start", "end"]
