"""Reads a pixcap corpus the way a user would: datasets.load_dataset(<folder>), which finds the splits and features
in the card's YAML. Prints one JSON object: the splits with row counts, the loaded features in datasets' own YAML
form (Features._to_yaml_list, the reference for the card's dataset_info.features) and the card's parsed YAML."""
import json
import sys

import datasets
from huggingface_hub import DatasetCard
import yaml

corpus = sys.argv[1]
ds = datasets.load_dataset(corpus)
with open(f"{corpus}/README.md", encoding="utf-8") as f:
    text = f.read()
front = yaml.safe_load(text.split("---\n")[1])
card = DatasetCard.load(f"{corpus}/README.md")
print(json.dumps({
    "splits": {name: d.num_rows for name, d in ds.items()},
    "features": ds[next(iter(ds))].features._to_yaml_list(),
    "card_features": datasets.Features._from_yaml_list(front["dataset_info"]["features"])._to_yaml_list(),
    "card_data_keys": sorted(card.data.to_dict().keys()),
}))
