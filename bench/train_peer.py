#!/usr/bin/python3
"""Peer for the training benchmark: trains the same XGBoost model as `playsight train` on the same
players with Python's xgboost (Debian python3-xgboost), and prints its training time.

  /usr/bin/python3 bench/train_peer.py FEATURES.csv MODEL_FOLDER --threads 2

MODEL_FOLDER is what `playsight train --model mse_model` wrote: model.json gives the features and
the label, split.csv the train/validation rows. The parameters mirror
src/spend/models/gradient_boosting.cpp: hist trees, depth 6, eta 0.1, subsample 0.8,
colsample_bytree 0.8, min_child_weight 1, base_score = mean label, up to 1000 rounds with early
stopping after 30 rounds without a better validation RMSE.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import xgboost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("model_folder")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    model = json.load(open(f"{args.model_folder}/model.json"))
    features = pd.read_csv(args.features, dtype={"player_id": str}).set_index("player_id")
    split = pd.read_csv(f"{args.model_folder}/split.csv", dtype={"player_id": str}).set_index("player_id")
    train = features.loc[split.index[split["part"] == 0]]
    valid = features.loc[split.index[split["part"] == 1]]
    names = model["features"]
    label = model["label"]

    start = time.perf_counter()
    dtrain = xgboost.DMatrix(train[names].to_numpy(np.float32), label=train[label].to_numpy(np.float32))
    dvalid = xgboost.DMatrix(valid[names].to_numpy(np.float32), label=valid[label].to_numpy(np.float32))
    params = {
        "objective": "reg:squarederror", "tree_method": "hist", "max_depth": 6, "eta": 0.1,
        "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 1, "nthread": args.threads,
        "seed": 42, "base_score": float(train[label].mean()), "eval_metric": "rmse",
    }
    booster = xgboost.train(params, dtrain, num_boost_round=1000, evals=[(dvalid, "valid")],
                            early_stopping_rounds=30, verbose_eval=False)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "best_rounds": booster.best_iteration + 1,
                      "rows": int(dtrain.num_row()), "features": len(names)}))


if __name__ == "__main__":
    main()
