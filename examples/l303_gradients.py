"""The gradient of the loss for each layer, on every backend: example 07a's vanishing gradient.

Keras 3 has no backend-neutral gradient call, so this is the one place that speaks each backend's
own language (a GradientTape, jax.grad, torch's backward); the scripts stay neutral.
"""

import keras
import numpy as np


def layer_gradients(model, x, y, loss="categorical_crossentropy"):
    """The mean absolute gradient of the loss with respect to each Dense layer's biases and
    weights, on the batch (x, y): {"bias": [...], "kernel": [...]}, first layer first."""
    loss_function = keras.losses.get(loss)
    variables = model.trainable_variables
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            value = keras.ops.mean(loss_function(y, model(x, training=False)))
        gradients = tape.gradient(value, variables)
    elif backend == "jax":
        import jax

        def loss_of(trainable):
            predictions, _ = model.stateless_call(
                trainable, [v.value for v in model.non_trainable_variables], x, training=False)
            return keras.ops.mean(loss_function(y, predictions))

        gradients = jax.grad(loss_of)([v.value for v in variables])
    elif backend == "torch":
        for variable in variables:
            variable.value.grad = None
        keras.ops.mean(loss_function(y, model(x, training=False))).backward()
        gradients = [variable.value.grad for variable in variables]
    else:
        raise ValueError(f"layer_gradients does not know the {backend} backend")
    sizes = {"bias": [], "kernel": []}
    for variable, gradient in zip(variables, gradients):
        kind = "bias" if variable.path.endswith("bias") else "kernel"
        sizes[kind].append(float(np.mean(np.abs(keras.ops.convert_to_numpy(gradient)))))
    return sizes
