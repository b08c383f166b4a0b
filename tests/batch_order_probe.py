"""Run by test_batch_order.py under each backend: which samples does each training step receive?

Trains a one-weight model on x = 0, 1, ..., 11 (each sample is its own index) through the suite's
own path (parse_args, shuffled_batches, model.fit with run.callbacks) and prints, as JSON, the
indices each step received, one list per epoch. With --keras-array-path it trains as the slides
call fit instead, fit(x, y, batch_size=..., shuffle=True): the path l303_workarounds replaces.
"""

import json
import sys

import l303

import keras
import numpy as np

SAMPLES, BATCH_SIZE, EPOCHS = 12, 4, 3


class RecordBatches(keras.layers.Layer):
    """Passes its input on, remembering the sample indices of every batch it sees (eagerly)."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def compute_output_shape(self, input_shape):
        return input_shape  # so that building the model never calls call() symbolically

    def call(self, inputs):
        try:
            indices = keras.ops.convert_to_numpy(inputs)[:, 0].astype(int).tolist()
        except Exception:  # a traced call (JAX builds the model so), not a batch of data
            return inputs
        self.batches.append(indices)
        return inputs


parser = l303.make_parser(__doc__)
parser.add_argument("--keras-array-path", action="store_true")
args = l303.parse_args(parser, sys.argv[1:])
run = l303.Run(__doc__, args)
recorder = RecordBatches()
model = keras.Sequential([keras.Input(shape=(1,)), recorder, keras.layers.Dense(1)])
model.compile(loss="mean_squared_error", optimizer="sgd", run_eagerly=True,
              steps_per_execution=args.steps_per_execution)
x = np.arange(SAMPLES, dtype="float32").reshape(SAMPLES, 1)
y = np.zeros((SAMPLES, 1), dtype="float32")
if args.keras_array_path:
    model.fit(x, y, batch_size=BATCH_SIZE, shuffle=True, epochs=EPOCHS, verbose=0,
              callbacks=run.callbacks("probe"))
else:
    model.fit(l303.shuffled_batches(x, y, batch_size=BATCH_SIZE), epochs=EPOCHS, verbose=0,
              callbacks=run.callbacks("probe"))
steps = -(-SAMPLES // BATCH_SIZE)
epochs = [sum(recorder.batches[epoch * steps:(epoch + 1) * steps], [])
          for epoch in range(len(recorder.batches) // steps)]
print(json.dumps({"backend": keras.backend.backend(), "epochs": epochs,
                  "recorded_epochs": len(run.histories["probe"]["loss"])}))
