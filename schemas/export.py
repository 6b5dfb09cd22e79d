"""Write the JSON Schema of every public model to `schemas/json/` (`python -m schemas.export`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.models import Alert, Article, Classification, ClassifyError, DeadLetter, WebhookSubscription

PUBLIC_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "classification": Classification,
    "classify-error": ClassifyError,
    "alert": Alert,
    "deadletter": DeadLetter,
    "webhook-subscription": WebhookSubscription,
}
SCHEMA_DIR = Path(__file__).parent / "json"


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def rendered() -> dict[Path, str]:
    return {SCHEMA_DIR / f"{name}.schema.json": render(model) for name, model in PUBLIC_MODELS.items()}


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in rendered().items():
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
