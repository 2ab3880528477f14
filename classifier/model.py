"""Training, saving, loading and prediction of the complaint category model.

Features: word 1-2-gram and char_wb 2-5-gram TF-IDF of the prepared text (boilerplate
stripped, normalized). Classifier: a class-balanced LinearSVC over the 23 categories plus one
class for texts that are no complaint at all (greetings, thanks, praise, spam), fitted on
every example. Its scores become probabilities through per-class sigmoids fitted on
out-of-fold scores, where each fold holds out whole authors; a small logistic "gate" fitted on
the same out-of-fold predictions says how likely a prediction is right from more than its top
probability (the margin to the runner-up, the share of the text's words the model knows, its
length), and the routing threshold is chosen on the gate so that what is routed unseen meets
the target precision on authors the model never saw.

The code lives in three modules, along those seams: `classifier.training` (features and
training), `classifier.calibration` (calibration and the gate) and `classifier.prediction`
(the trained model, prediction, loading). This module is the public face that re-exports
them: import from here. Saved models are pickles that name `classifier.model.TrainedModel`.
"""

from __future__ import annotations

from classifier.calibration import DESK_CATEGORY as DESK_CATEGORY
from classifier.calibration import GATE_FEATURES as GATE_FEATURES
from classifier.calibration import NO_AUTO_ROUTE, NON_COMPLAINT, choose_threshold
from classifier.calibration import NON_COMPLAINT_CUTOFFS as NON_COMPLAINT_CUTOFFS
from classifier.calibration import NON_COMPLAINTS_ROUTED as NON_COMPLAINTS_ROUTED
from classifier.prediction import SUGGESTIONS as SUGGESTIONS
from classifier.prediction import TOP_TERMS as TOP_TERMS
from classifier.prediction import Prediction, TrainedModel, load
from classifier.training import CV_FOLDS as CV_FOLDS
from classifier.training import SVC_C as SVC_C
from classifier.training import build_features as build_features
from classifier.training import train

__all__ = [
    "NON_COMPLAINT",
    "NO_AUTO_ROUTE",
    "Prediction",
    "TrainedModel",
    "choose_threshold",
    "load",
    "train",
]
