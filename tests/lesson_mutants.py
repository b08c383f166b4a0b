"""make mutants: break each lesson on purpose and check that its tests notice.

    python tests/lesson_mutants.py              # every change, two at a time
    python tests/lesson_mutants.py 04b 06e      # the changes whose name starts so

Each change below is a careless edit that removes a lesson's mechanism while keeping its label
(dropout at rate 0, momentum 0, a Leaky ReLU that is a ReLU), written from the slides' lessons. For
each, the repository's files are copied into a scratch folder, the change is made there, and the
tests named for that lesson run against the copy (PYTHONPATH puts the copy's shared module first).
A change that a script's flag can say (--dropout 0) is made through the flag: the tests' own runs
get it last (tests/conftest.py, L303_MUTANT_FLAGS), and no text of the script is touched. The
others edit a fragment of code, found whatever its line breaks and indentation (a file
reformatted by ruff or black still takes it). A change is caught when a test fails; it survives
when they all pass. Exit status 1 if any change survived or could not be applied (its fragment is
no longer in the file: the message names the line most like it).

First the same tests run on the unchanged copy: a test that fails there would "catch" everything.
"""

import argparse
import concurrent.futures
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from l303_files import REPO

LESSONS = "tests/test_lessons_"
NUMBERS = "tests/test_numbers_and_figures.py::"


@dataclass(frozen=True)
class Mutant:
    name: str
    lesson: str  # what the change breaks, in the slide's terms
    file: str
    edits: tuple  # (old, new) pairs; every occurrence of old is replaced (see fragment_pattern)
    tests: tuple  # pytest node ids that must notice
    flags: tuple = ()  # or: flags given to the script `file` in every run of the tests


def flag_mutant(name, lesson, script, flags, tests):
    """A change that the script's own flags can say, made through them."""
    return Mutant(name, lesson, script, (), tests, flags)


def fragment_pattern(old):
    """A fragment of code as a pattern that ignores how the code is laid out: any run of
    spaces and line breaks matches any other, a bracket may be followed and a closing one
    preceded by a line break, and a closing one by a trailing comma (what a formatter adds)."""
    pattern = ""
    for token in re.findall(r"\s+|\w+|[^\w\s]", old.strip()):
        if token.isspace():
            pattern += r"\s+"
        elif token in ")]}":
            pattern += r",?\s*" + re.escape(token)
        elif token in "([{":
            pattern += re.escape(token) + r"\s*"
        else:
            pattern += re.escape(token)
    return re.compile(pattern)


def apply_edits(text, edits, file):
    """TEXT with every edit made, or a ValueError naming the line most like a fragment not found."""
    for old, new in edits:
        pattern = fragment_pattern(old)
        if not pattern.search(text):
            first = old.strip().splitlines()[0].strip()
            lines = [line.strip() for line in text.splitlines()]
            closest = difflib.get_close_matches(first, lines, n=1, cutoff=0)
            where = f"; look at line {lines.index(closest[0]) + 1}: {closest[0]!r}" if closest else ""
            raise ValueError(f"{old.strip()!r} is not in {file}{where}")
        text = pattern.sub(lambda match: new.strip(), text)  # the indentation before it stays
    return text


def lesson_test(module, name):
    return f"{LESSONS}{module}.py::{name}"


def claim_case(name):
    """The hand-made cases of one claim (tests/test_claims_can_fail.py)."""
    return ("tests/test_claims_can_fail.py::"
            f"test_a_claim_holds_where_its_lesson_is_true_and_fails_where_it_is_false[{name}]")


MUTANTS = [
    Mutant("02 both starts bad", "SLOW LEARNING WITH BAD WEIGHTS: a different start learns at once",
           "examples/l303-example-02.py",
           (("np.array([[w1]]), np.array([b1])", "np.array([[2.0]]), np.array([3.0])"),
            ("np.array([[w2]]), np.array([b2])", "np.array([[4.0]]), np.array([5.0])")),
           (lesson_test("stories", "test_a_different_start_learns_from_the_first_epoch_where_the_bad_one_sits_on_a_plateau"),)),
    Mutant("02a MSE in both arms", "THE CHOICE OF LOSS: cross-entropy learns fast from bad weights",
           "examples/l303-example-02a.py", (("model.compile(loss=loss,", 'model.compile(loss="mean_squared_error",'),),
           (lesson_test("loss", "test_cross_entropy_learns_faster_than_mse_from_bad_weights"),)),
    Mutant("03 softmax trained with MSE", "TRY IT OUT!: softmax + cross-entropy fits the training set better",
           "examples/l303-example-03.py",
           (('model.compile(loss="categorical_crossentropy",', 'model.compile(loss="mean_squared_error",'),),
           (lesson_test("stories", "test_softmax_and_cross_entropy_fit_the_training_set_better_than_the_mse_baseline"),)),
    Mutant("03 third choice for second", "INTERMISSION: the second choice is often right",
           "examples/l303-example-03.py",
           (("second_is_right = ranked[failed, 1] ==", "second_is_right = ranked[failed, 2] =="),),
           (lesson_test("stories", "test_the_second_choice_is_often_right_when_the_first_is_wrong"),)),
    Mutant("01a tricks without cross-entropy", "INTERMISSION: the tricks leave fewer digits wrong",
           "examples/l303-example-01a.py",
           (('tricks_model.compile(loss="categorical_crossentropy",', 'tricks_model.compile(loss="mean_squared_error",'),),
           (lesson_test("stories", "test_on_a_short_budget_the_lectures_tricks_leave_fewer_test_digits_wrongly_tagged"),)),
    Mutant("04 validated on its training set", "THE OVERTRAINING ISSUE: unseen data saturates while training improves",
           "examples/l303-example-04.py",
           (("validation_batches(data.x_test, data.y_test)", "validation_batches(data.x_train, data.y_train)"),),
           (lesson_test("overtraining", "test_a_small_training_set_overtrains"),)),
    Mutant("04 training set capped", "TRAINING DATA DOES MATTER: more data, less overtraining",
           "examples/l303-example-04.py",
           (("load_mnist(train_size=args.train_size,", "load_mnist(train_size=min(args.train_size, 1000),"),),
           (lesson_test("overtraining", "test_more_training_data_mitigates_the_overtraining"),)),
    Mutant("04a L2 dropped", "REGULARIZATION: weight decay narrows the train-test gap",
           "examples/l303-example-04a.py",
           (("kernel_regularizer=kernel_regularizer),", "kernel_regularizer=None),"),),
           (lesson_test("overtraining", "test_l2_weight_decay_narrows_the_train_test_gap"),)),
    Mutant("04a L1 is L2", "Practice 01, Trial #1: L1 drives output weights to zero",
           "examples/l303-example-04a.py", (('{"l1": keras.regularizers.l1,', '{"l1": keras.regularizers.l2,'),),
           (lesson_test("overtraining", "test_l1_shrinks_output_weights_toward_zero_more_than_no_regularization"),)),
    flag_mutant("04b dropout rate 0", "DROPOUT: dropout narrows the train-test gap",
                "examples/l303-example-04b.py", ("--dropout", "0"),
                (lesson_test("overtraining", "test_dropout_narrows_the_train_test_gap"),)),
    flag_mutant("04c endless patience", "EARLY STOPPING: training stops early",
                "examples/l303-example-04c.py", ("--patience", "1000"),
                (lesson_test("overtraining", "test_early_stopping_stops_early_and_keeps_the_last_epochs_weights"),)),
    Mutant("04c best weights restored", "EARLY STOPPING: the slide evaluates the last epoch's model",
           "examples/l303-example-04c.py",
           (("patience=args.patience)", "patience=args.patience, restore_best_weights=True)"),),
           (lesson_test("overtraining", "test_early_stopping_stops_early_and_keeps_the_last_epochs_weights"),)),
    Mutant("04d no batch normalization", "BATCH NORMALIZATION: a deep sigmoid network learns from the start",
           "examples/l303-example-04d.py", (("        if batch_normalization:", "        if False:"),),
           (lesson_test("overtraining", "test_batch_normalization_lets_a_deeper_sigmoid_network_learn_from_the_first_epochs"),)),
    Mutant("05 expanded arm on the original data", "ARTIFICIAL DATA EXPANDING: rotated copies help",
           "examples/l303-example-05.py",
           (('(rotated)", x_train_ext, y_train_ext)', '(rotated)", data.x_train, data.y_train)'),),
           (lesson_test("overtraining", "test_rotated_copies_of_the_training_data_raise_the_test_accuracy"),)),
    Mutant("06 learning rate capped at 2", "LEARNING RATE: too large a rate is a random walk",
           "examples/l303-example-06.py",
           (("SGD(learning_rate=learning_rate)", "SGD(learning_rate=min(learning_rate, 2.0))"),),
           (lesson_test("methods", "test_learning_rate_20_is_erratic_or_diverges_where_2_learns_and_0_2_is_slow"),)),
    Mutant("06 learning rate at least 2", "LEARNING RATE: too small a rate is slow",
           "examples/l303-example-06.py",
           (("SGD(learning_rate=learning_rate)", "SGD(learning_rate=max(learning_rate, 2.0))"),),
           (lesson_test("methods", "test_learning_rate_20_is_erratic_or_diverges_where_2_learns_and_0_2_is_slow"),)),
    flag_mutant("06a momentum 0", "KEEP THE MOMENTUM: momentum converges quicker",
                "examples/l303-example-06a.py", ("--momentum", "0"),
                (lesson_test("methods", "test_momentum_lowers_the_loss_faster_than_plain_sgd"),)),
    Mutant("06a decay ignored", "KEEP THE MOMENTUM: Keras 2's decay lowers the rate along the run",
           "examples/l303-example-06a.py",
           (("SGD(learning_rate=keras2_decay(args.lr, args.decay),", "SGD(learning_rate=args.lr,"),),
           (lesson_test("methods", "test_decay_changes_the_learning_rate_along_the_run_as_keras_2_did"),)),
    Mutant("06b one batch size for all", "SIZE OF MINI-BATCH: larger batches, fewer updates per epoch",
           "examples/l303-example-06b.py", (("batch_size=batch_size),", "batch_size=args.batch_sizes[0]),"),),
           (lesson_test("methods", "test_small_mini_batches_lower_the_loss_per_epoch_sooner_than_large_ones"),)),
    Mutant("06c Adadelta at Keras 3's default", "DIFFERENT TRAINING ALGORITHM: every method learns, SGD holds its own",
           "examples/l303-example-06c.py",
           (("keras.optimizers.Adadelta(learning_rate=1.0)", "keras.optimizers.Adadelta()"),),
           (lesson_test("methods", "test_plain_sgd_does_as_well_as_adaptive_methods_on_this_small_network"),)),
    Mutant("06d ReLU arm is sigmoid", "DIFFERENT ACTIVATION FUNCTION: ReLU beats sigmoid",
           "examples/l303-example-06d.py", (("model = build_model(activation)", 'model = build_model("sigmoid")'),),
           (lesson_test("methods", "test_relu_beats_sigmoid_in_the_256_256_network_on_the_same_short_budget"),)),
    Mutant("06e Leaky ReLU is a ReLU", "DIFFERENT ACTIVATION FUNCTION (V): Leaky ReLU, similar to ReLU",
           "examples/l303-example-06e.py",
           (("layers.LeakyReLU(negative_slope=args.negative_slope),", "layers.ReLU(),"),),
           (lesson_test("methods", "test_leaky_relu_performs_like_relu"),)),
    Mutant("06e PReLU's slope frozen", "DIFFERENT ACTIVATION FUNCTION (IV): PReLU learns its slope",
           "examples/l303-example-06e.py",
           (("layers.PReLU(alpha_initializer=start),", "layers.LeakyReLU(negative_slope=args.negative_slope),"),),
           (lesson_test("methods", "test_prelu_learns_its_slope_below_zero"),)),
    Mutant("07 narrower network", "LARGER/DEEPER NETWORK: the slide's 669,706 parameters",
           "examples/l303-example-07.py",
           (('layers.Dense(512, activation="relu"),', 'layers.Dense(256, activation="relu"),'),),
           (lesson_test("methods", "test_the_larger_network_has_the_slides_669706_parameters_and_learns_in_a_few_epochs"),)),
    Mutant("07a depth ignored", "LARGER/DEEPER NETWORK (III): a deeper network trains later",
           "examples/l303-example-07a.py", (("    for _ in range(depth):", "    for _ in range(2):"),),
           (lesson_test("stories", "test_a_deeper_network_trains_but_later"),)),
    Mutant("07a gradients probed with ReLU only", "WHY IT IS DIFFICULT TO TRAIN A DEEP NETWORK: sigmoid's gradient vanishes",
           "examples/l303-example-07a.py",
           (("model = build_model(GRADIENT_DEPTH, activation, dropout_rate=0)",
             'model = build_model(GRADIENT_DEPTH, "relu", dropout_rate=0)'),),
           (lesson_test("stories", "test_the_sigmoid_gradient_vanishes_towards_the_first_layer_and_relus_does_not"),)),
    Mutant("08 kernel size ignored", "Practice 01, Trial #2: the kernel size changes the network",
           "examples/l303-example-08.py", (("kernel_size=(k, k)", "kernel_size=(5, 5)"),),
           (lesson_test("methods", "test_the_cnn_has_ten_outputs_and_the_parameters_its_kernel_size_implies"),)),
    Mutant("08a no rotated copies", "Practice 02: a network that saw rotated digits reads rotated digits better",
           "examples/l303-example-08a.py",
           (("layers.RandomRotation(ROTATION_DEGREES / 360,", "layers.RandomRotation(0.0,"),),
           # At the lesson test's budget the shifts and the normalization carry most of the effect
           # (make mutants, 2026-12-01: it survived the lesson test alone); the recipe test sees
           # the rotation go.
           (lesson_test("methods", "test_data_expanding_and_batch_normalization_help_the_cnn_on_rotated_digits"),
            "tests/test_recipes.py::test_08as_additions_to_08_are_all_there")),
    Mutant("shared: rotation by 0 degrees", "ARTIFICIAL DATA EXPANDING: the copies are rotated",
           "examples/l303.py", (("rotate(image, angle)", "rotate(image, 0.0)"),),
           (lesson_test("overtraining", "test_rotated_copies_are_the_same_digits_turned_with_pixels_in_range"),)),
    Mutant("shared: one batch order on TensorFlow", "SGD: a new order of the training images every epoch",
           "examples/l303_workarounds.py",
           (("rerandomize_each_iteration=True", "rerandomize_each_iteration=False"),),
           ("tests/test_batch_order.py::test_every_epoch_draws_a_new_order_and_the_same_seed_draws_the_same_orders",)),
    Mutant("shared: one batch order on JAX and PyTorch", "SGD: a new order of the training images every epoch",
           "examples/l303_workarounds.py",
           (("    def on_epoch_end(self):\n        self.order = self.random.permutation(len(self.x))",
             "    def on_epoch_end(self):\n        pass"),),
           ("tests/test_batch_order.py::test_the_jax_and_pytorch_batch_sequence_reshuffles_every_epoch_under_any_backend",)),
    Mutant("shared: the seed ignored", "every slide: the same seed gives the same run",
           "examples/l303.py",
           (("    keras.utils.set_random_seed(args.seed)  # Python, NumPy and the backend, all at once",
             "    pass"),),
           ("tests/test_run_contract.py::test_the_same_seed_gives_the_same_history_and_another_seed_does_not",)),
    Mutant("shared: Ctrl-C runs on to the epoch's end", "Ctrl-C stops at the next batch, before TensorFlow can crash",
           "examples/l303_classroom.py",
           (("    def on_train_batch_end(self, batch, logs=None):\n        self._stop_if_requested()\n",
             "    def on_train_batch_end(self, batch, logs=None):\n        pass\n"),),
           ("tests/test_run_contract.py::test_ctrl_c_during_a_fit_stops_at_the_next_batch_and_a_second_one_at_once",)),
    Mutant("shared: Ctrl-C saves nothing", "Ctrl-C keeps the completed epochs",
           "examples/l303_classroom.py",
           (("        if self._has_unsaved_epochs():\n            self.run.save_interrupted()\n        else:",
             "        if self._has_unsaved_epochs():\n            pass\n        else:"),),
           ("tests/test_run_contract.py::test_ctrl_c_keeps_the_completed_epochs_and_exits_130",)),
    Mutant("shared: validation overlaps training", "EARLY STOPPING: an independent validation sample",
           "examples/l303.py",
           (('valid_images = arrays["x_train"][VALIDATION_START:][:test_size]',
             'valid_images = arrays["x_train"][:test_size]'),),
           ("tests/test_data.py::test_the_validation_split_is_the_lectures_last_10000_training_images",)),
    Mutant("verdicts: the mean alone decides", "every verdict: one seed's luck is not a result",
           "tools/verdicts.py",
           (('"holds" if low > claim.threshold else', '"holds" if mean > claim.threshold else'),),
           ("tests/test_claims.py::test_a_direction_claim_is_within_noise_when_the_interval_straddles_zero",)),
    # A claim that can no longer fail, or a rule with a side lost (tests/test_claims_can_fail.py).
    Mutant("claims: a goal every run reaches", "08: the CNN's goal of 0.99",
           "tools/claims.py", (('score(runs["08"], "cnn") - 0.99', 'score(runs["08"], "cnn") - 0.0'),),
           (claim_case("08"),)),
    Mutant("claims: a margin nothing falls outside", "every \"similar\" claim (03, 06e)",
           "tools/claims.py", (("SIMILAR_ACCURACY = 0.005", "SIMILAR_ACCURACY = 1.0"),),
           (claim_case("06e"),)),
    Mutant("claims: a measure that reads nothing", "DROPOUT: the train-test gap narrows",
           "tools/claims.py", (('gap(runs["04b"], "none") - gap(runs["04b"], "dropout")', "0.01"),),
           (claim_case("04b"),)),
    Mutant("claims: a model by its place in the loop", "DROPOUT: the train-test gap narrows",
           "tools/claims.py", (('gap(runs["04b"], "none")', 'gap(runs["04b"], list(runs["04b"]["histories"])[0])'),),
           ("tests/test_claims_can_fail.py::test_a_claim_names_its_models_by_key_not_by_order_or_legend[04b]",)),
    Mutant("verdicts: the rule lost its other side", "every verdict: a lesson can be found false",
           "tools/verdicts.py",
           (('"does not hold" if high < claim.threshold else "within noise"', '"within noise"'),),
           (claim_case("04a"),)),
    # The contracts the README states.
    Mutant("files: a record written in place", "files are whole or absent",
           "examples/l303_files.py", (("        write(temporary)\n        os.replace(temporary, path)", "        write(path)"),),
           ("tests/test_run_contract.py::test_a_file_is_written_whole_or_not_at_all",)),
    Mutant("first hour: a run of yours into the reference", "figures/ is written only by make report",
           "examples/l303.py", (('DEFAULT_OUTDIR = l303_files.REPO / "mine"', 'DEFAULT_OUTDIR = l303_files.REPO / "figures"'),),
           ("tests/test_command_line.py::test_a_run_of_yours_goes_to_mine_and_leaves_the_reference_as_it_was",)),
    Mutant("first hour: Keras before the flags", "-h and a mistyped flag answer at once",
           "examples/l303.py", (("    args = parser.parse_args(argv)\n    if args.quick:",
                                 "    start_keras()\n    args = parser.parse_args(argv)\n    if args.quick:"),),
           ("tests/test_command_line.py::test_help_and_a_mistyped_flag_answer_before_keras_or_a_backend_is_imported",)),
    Mutant("first hour: the wrong Python's traceback", "the wrong Python gets one line naming the right one",
           "examples/l303.py", (("\nstop_unless_installed()\n", "\n"),),
           ("tests/test_command_line.py::test_a_python_without_the_suites_packages_gets_one_line_naming_the_one_that_works",)),
    Mutant("setup: JAX where TensorFlow installs", "TensorFlow, the reference's backend, on 3.11-3.13",
           "tools/setup.sh", (('        if [ -n "$for_tensorflow" ]; then', '        if [ -z "$for_jax" ]; then'),),
           ("tests/test_setup.py::test_tensorflow_is_preferred_where_both_can_be_had_and_either_can_be_asked_for",)),
    Mutant("backend: TensorFlow whatever is installed", "a script uses the backend its environment has",
           "examples/l303_workarounds.py",
           (("chosen = next((name for name in BACKENDS if installed(name)), None)", 'chosen = "tensorflow"'),),
           ("tests/test_jax_environment.py::test_a_script_takes_the_first_backend_installed_unless_told",)),
    Mutant("TensorBoard: integers as numbers", "HParams shows integer settings as integers",
           "examples/l303_classroom.py", (("    if isinstance(value, int):\n        return str(value)",
                                           "    if isinstance(value, int):\n        return value"),),
           ("tests/test_classroom.py::test_tensorboard_logs_every_epochs_loss_and_the_settings_under_a_readable_run_name[tensorflow]",)),
    Mutant("notebook: named notebook", "a script opened as a notebook names its files after the script",
           "examples/l303_files.py",
           (("        if docstring and script_docstring(script).strip() == docstring.strip():", "        if False:"),),
           ("tests/test_classroom.py::test_a_script_opened_as_a_notebook_runs_cell_by_cell",)),
    Mutant("compare: every setting in the labels", "compare labels each run by what it changed",
           "examples/l303_files.py", (("if name not in UNNAMED_SETTINGS\n", "if True\n"),),
           ("tests/test_tools.py::test_compare_of_the_reference_and_a_folder_of_runs_reads_at_a_glance",
            "tests/test_lab_logic.py::test_compare_names_each_run_by_what_sets_it_apart_and_never_merges_two")),
    # A student's run (issue 45): merged, overwritten, its edits unrecorded.
    Mutant("compare: runs merged by label", "compare draws every run its own curve",
           "tools/compare.py",
           (('return {(index, model): label + (f" [{runs[index]}]" if runs[index] else "")',
             'return {(index, model): label'),),
           ("tests/test_lab_logic.py::test_compare_names_each_run_by_what_sets_it_apart_and_never_merges_two",)),
    Mutant("trial: one name for every trial", "a trial in mine/ keeps its own files",
           "examples/l303_files.py",
           (("if Path(outdir).resolve() != MINE.resolve() or reference is None:", "if True:"),),
           ("tests/test_student_runs.py::test_a_trial_of_the_slides_settings_keeps_the_scripts_name_and_others_their_own",
            "tests/test_student_runs.py::test_practice_01_trial_2_with_the_readmes_commands_keeps_each_kernel_size")),
    Mutant("record: constants left out", "the record holds every change a student can make",
           "examples/l303_files.py",
           (('return json_ready(settings | script_constants(vars(sys.modules["__main__"])))',
             "return json_ready(settings)"),),
           ("tests/test_student_runs.py::test_an_edited_copy_of_08_names_every_edit_in_its_record_its_figure_and_compare",)),
    # The lab's own promises (issue 46): the fingerprint, make figures, the bands, the gallery.
    Mutant("fingerprint: imports not followed", "a change to what computes stales what it reaches",
           "examples/l303_files.py", (("reading.append(module)", "pass"),),
           ("tests/test_tools.py::test_drawing_and_wording_stale_nothing_and_what_computes_stales_the_scripts_it_reaches",)),
    Mutant("make figures: the last sitting's bands", "make figures draws from the bands it writes",
           "tools/results.py",
           (("redraw_figures(outdir, write_bands(outdir))",
             "redraw_figures(outdir, l303_plots.read_bands(outdir / BANDS_FILE)); write_bands(outdir)"),),
           ("tests/test_make_figures.py::test_make_figures_redraws_every_file_it_owns_identical",
            "tests/test_make_figures.py::test_make_figures_draws_with_the_bands_it_has_just_written")),
    Mutant("make figures: no overlays", "make figures redraws every figure it owns",
           "tools/results.py", (("if entry.run in OVERLAYS:", "if False:"),),
           ("tests/test_make_figures.py::test_make_figures_redraws_every_file_it_owns_identical",)),
    Mutant("bands: over the comparison seeds only", "a band is made over every seed that has its run",
           "tools/bands.py",
           (("by_seed = {seed: seed_runs(outdir, seed) for seed in PRINTED_SEEDS}",
             "by_seed = {seed: seed_runs(outdir, seed) for seed in PRINTED_SEEDS[:5]}"),),
           ("tests/test_lab_logic.py::test_every_band_is_made_over_every_seed_that_has_its_run",)),
    Mutant("gallery: a picture after its slide's run", "the gallery follows the lecture",
           "tools/results.py",
           (('"l303-pictures-regularization.png": ("before", "04a")',
             '"l303-pictures-regularization.png": ("after", "04a")'),),
           ("tests/test_lab_logic.py::test_the_gallery_follows_the_lectures_slide_order",)),
    Mutant("figure: the tricks' bars swapped", "a bar chart: each count under its own label",
           "examples/l303_plots.py",
           (('"with the tricks": tricks["misclassified"],',
             '"with the tricks": tricks["misclassified_by_both"],'),
            ('"wrong in both": tricks["misclassified_by_both"]}',
             '"wrong in both": tricks["misclassified"]}')),
           ("tests/test_figures_read.py::test_the_tricks_bars_stand_at_their_own_counts_under_their_own_labels",)),
    Mutant("figure: stacked categories swapped", "a stacked histogram: each category its name",
           "examples/l303_plots.py",
           (('label=["second choice right", "second also wrong"]',
             'label=["second also wrong", "second choice right"]'),),
           ("tests/test_figures_read.py::test_the_runner_ups_stacked_bars_are_the_categories_their_legend_names",)),
    Mutant("figure: a band coloured by its place", "a band in its model's colour",
           "examples/l303_plots.py",
           (('axis.l303_panel = (metric, {model: f"C{list(histories).index(model)}"',
             'axis.l303_panel = (metric, {model: f"C{list(shown).index(model)}"'),),
           ("tests/test_figures_read.py::test_a_band_has_its_models_colour_in_every_column",)),
    Mutant("figure: a legend over the curves", "no legend over a data line",
           "examples/l303_plots.py",
           (('axes[0][0].get_legend_handles_labels()[0], {"fontsize": 8}',
             'axes[0][0].get_legend_handles_labels()[0], {"fontsize": 8, "loc": "center"}'),),
           ("tests/test_figure_check.py::test_every_committed_figure_of_a_run_passes_the_check",)),
    # A recipe that has lost an ingredient (tests/test_recipes.py), and 03's runner-up numbers.
    Mutant("01a tricks without the rotated copies", "INTERMISSION: port the tricks back (05's rotation)",
           "examples/l303-example-01a.py",
           (("l303.expand_by_rotation(tricks_data.x_train, tricks_data.y_train, ROTATION_RANGE)",
             "(tricks_data.x_train, tricks_data.y_train)"),),
           ("tests/test_recipes.py::test_01a_ports_all_three_tricks_back",)),
    Mutant("01a tricks with a sigmoid output", "INTERMISSION: port the tricks back (03's softmax)",
           "examples/l303-example-01a.py",
           (('        layers.Dense(units=10, activation="softmax"),\n    ])\n    tricks_model.compile',
             '        layers.Dense(units=10, activation="sigmoid"),\n    ])\n    tricks_model.compile'),),
           ("tests/test_recipes.py::test_01a_ports_all_three_tricks_back",)),
    Mutant("07 without its second dropout", "LARGER/DEEPER NETWORK?: several improvements",
           "examples/l303-example-07.py",
           (('    layers.Dense(512, activation="relu"),\n    layers.Dropout(DROPOUT_RATE),\n    layers.Dense(10',
             '    layers.Dense(512, activation="relu"),\n    layers.Dense(10'),),
           ("tests/test_recipes.py::test_07s_improvements_are_all_there",)),
    Mutant("08a without the dense layer's normalization", "Practice 02: 08 plus batch normalization",
           "examples/l303-example-08a.py",
           (("    layers.Dense(128, use_bias=False),\n    layers.BatchNormalization(),\n",
             "    layers.Dense(128),\n"),),
           ("tests/test_recipes.py::test_08as_additions_to_08_are_all_there",)),
    # A number of another set than it names; a figure that contradicts its labels; the band.
    Mutant("01 test performance of the training set", "Performance (testing) is of the test set",
           "examples/l303-example-01.py",
           (("testing=(data.x_test, data.y_test)", "testing=(data.x_train, data.y_train)"),),
           (NUMBERS + "test_01s_training_and_test_performance_are_of_the_training_and_test_sets",)),
    Mutant("plots: validation drawn solid", "every figure: training solid, validation dashed",
           "examples/l303_plots.py",
           (('(f"val_{metric}", "--", "validation")', '(f"val_{metric}", "-", "validation")'),),
           (NUMBERS + "test_a_history_figures_styles_and_colours_are_those_of_its_legend",)),
    Mutant("01a grid: the next digit's picture", "INTERMISSION: the wrongly tagged digits, each labelled",
           "examples/l303_plots.py",
           (('axis.imshow(arrays["x_test"][index]', 'axis.imshow(arrays["x_test"][index + 1]'),),
           (NUMBERS + "test_01as_grid_draws_each_misclassified_digit_under_its_own_label",)),
    Mutant("plots: a marked line off its number", "Practice 02: the rotated accuracy, marked",
           "examples/l303_plots.py", (("axis.axhline(accuracy,", "axis.axhline(accuracy - 0.01,"),),
           (NUMBERS + "test_08s_rotated_test_accuracy_is_of_its_test_digits_turned",)),
    Mutant("band: drawn from its mean", "every figure: the band where the seeds put it",
           "examples/l303_plots.py",
           (('for side in ("low", "high"))', 'for side in ("mean", "high"))'),),
           ("tests/test_figures.py::test_a_figure_draws_each_models_band_where_the_bands_file_says_and_says_what_it_is",)),
    Mutant("07a gradients drawn output first", "the gradient vanishes towards the input",
           "examples/l303_plots.py",
           (("layer_numbers = np.arange(1, layers + 1)", "layer_numbers = np.arange(layers, 0, -1)"),),
           ("tests/test_figures.py::test_07as_gradient_figure_puts_layer_1_at_the_input_and_each_size_over_its_layer",)),
    Mutant("zoom: the first epochs", "04d: how the runs end, on a readable scale",
           "examples/l303_plots.py", (("last = x > x.max() - epochs", "last = x <= epochs"),),
           ("tests/test_figures.py::test_a_zoom_shows_the_last_epochs_it_names_on_their_own_scale",)),
    Mutant("band: cut at the panel's edge", "every figure: a band drawn whole",
           "examples/l303_plots.py",
           (("reach[0] < limits[1][0] or reach[1] > limits[1][1]", "False"),),
           ("tests/test_figures.py::test_a_band_is_drawn_whole_and_within_what_its_metric_can_be",)),
    Mutant("band: a loss below 0", "every figure: a band within what its metric can be",
           "examples/l303_plots.py",
           (("np.clip(np.array(band[side], dtype=float), 0,",
             "np.clip(np.array(band[side], dtype=float), None,"),),
           ("tests/test_figures.py::test_a_band_is_drawn_whole_and_within_what_its_metric_can_be",)),
    Mutant("printed lines of the first set", "the slide's Performance lines, each of its own set",
           "examples/l303.py",
           (('print("Loss: %.5f, Acc: %.5f" % (scores[name]["loss"], scores[name]["accuracy"]))',
             'print("Loss: %.5f, Acc: %.5f" % (scores[next(iter(scores))]["loss"], '
             'scores[next(iter(scores))]["accuracy"]))'),),
           (NUMBERS + "test_04cs_validation_set_is_apart_from_training_and_test_and_its_numbers_are_its_own",)),
    Mutant("compare: the last validation loss", "compare's table: each model's lowest validation loss",
           "tools/compare.py", (('lowest = f"{min(losses):.4f}"', 'lowest = f"{losses[-1]:.4f}"'),),
           ("tests/test_lab_logic.py::test_compares_table_holds_each_models_test_accuracy_and_its_lowest_validation_loss",)),
    Mutant("record written in place", "a run's files are whole or absent",
           "examples/l303_files.py", (("    write_atomically(path, lambda temporary: temporary.write_text(text))",
                                       "    Path(path).write_text(text)"),),
           ("tests/test_tools.py::test_every_writer_leaves_its_file_whole_or_as_it_was",)),
    Mutant("bands written in place", "the bands file is whole or absent",
           "tools/bands.py", (("    l303_files.write_atomically(path, lambda temporary: temporary.write_text(text))",
                               "    path.write_text(text)"),),
           ("tests/test_tools.py::test_every_writer_leaves_its_file_whole_or_as_it_was",)),
    Mutant("figure written in place", "every figure is whole or absent",
           "examples/l303_plots.py",
           (('l303_files.write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=DPI))',
             'figure.savefig(path, format="png", dpi=DPI)'),),
           ("tests/test_tools.py::test_every_writer_leaves_its_file_whole_or_as_it_was",)),
    Mutant("band: always the slide's", "a run is set against the band of its own settings",
           "examples/l303_plots.py",
           (('    entry = min(entries, key=lambda entry: len(differences(settings, entry["settings"])))',
             "    entry = entries[0]"),),
           ("tests/test_figures.py::test_a_run_gets_the_band_of_its_own_settings_where_the_bands_file_has_several",)),
    # The rest of issue 46's kinds: a test run nowhere, a default, the lab's bookkeeping.
    Mutant("make test: batch order left out of the JAX part", "no test runs nowhere",
           "Makefile", (("tests/test_classroom.py \\\n tests/test_batch_order.py;", "tests/test_classroom.py;"),),
           ("tests/test_tools.py::test_every_test_with_a_jax_case_is_in_the_part_of_make_test_that_has_jax",)),
    Mutant("05's default angles drift", "a script's own constants make its default run",
           "examples/l303-example-05.py", (("default=ANGLE_RANGE,", "default=(0.0, 5.0),"),),
           ("tests/test_lessons_overtraining.py::test_05s_angle_range_turns_its_copies_by_the_angles_it_names[default]",)),
    Mutant("report: --only timed as the whole report", "report-run.json is the whole report's time",
           "tools/report.py", (("sitting.made == len(jobs) and not args.only and not args.spread",
                                "sitting.made == len(jobs) and not args.spread"),),
           ("tests/test_tools.py::test_only_a_report_of_every_script_records_its_time_as_the_whole_reports",)),
    Mutant("bench: ratios not paired", "a ratio within one run: a slow moment touches both sides",
           "tools/bench.py", (('statistics.median(np.divide(seconds[way], seconds["none"]))',
                               'statistics.median(seconds[way]) / statistics.median(seconds["none"])'),),
           ("tests/test_tools.py::test_bench_takes_each_validation_ratio_within_a_run_against_the_run_just_before_it",)),
    Mutant("schema: 07a's moments unnamed", "the schema names the keys inside a note",
           "examples/record.schema.json", (('"propertyNames": {"enum": ["initial", "trained"]},', ""),),
           ("tests/test_lab_logic.py::test_the_schema_names_the_keys_inside_the_notes_that_the_tools_read",)),
    Mutant("spread: each seed's dot at the next seed", "spread.png: each seed's effect over its seed",
           "tools/results.py", (('axis.plot(seeds, list(values.values()), "o", color="C0", label="effect, one seed")',
                                 'axis.plot(seeds[1:] + seeds[:1], list(values.values()), "o", color="C0", label="effect, one seed")'),),
           ("tests/test_figures_read.py::test_the_spread_shows_each_seeds_value_on_its_claims_panel_against_the_slides_side",)),
    Mutant("pictures: the losses' gradients swapped", "THE CHOICE OF LOSS: cross-entropy's gradient stays large",
           "examples/l303-pictures.py",
           (('label="MSE: (sigma(z) - t) sigma\'(z)")', 'label="cross-entropy: sigma(z) - t")'),
            ('right.plot(z, sigmoid(z), lw=2, label="cross-entropy: sigma(z) - t")',
             'right.plot(z, sigmoid(z), lw=2, label="MSE: (sigma(z) - t) sigma\'(z)")')),
           ("tests/test_tools.py::test_the_pictures_are_drawn_and_each_has_its_place_under_its_slide",)),
    Mutant("replay: the student's own run", "--replay draws the reference run",
           "examples/l303_plots.py",
           (('path = l303_files.REPO / "figures" / f"{Path(program).stem}.json"',
             'path = l303_files.REPO / "mine" / f"{Path(program).stem}.json"'),),
           ("tests/test_classroom.py::test_replay_draws_the_committed_reference_run_and_nothing_of_the_students",)),
    Mutant("a full run tests on 1000 digits", "a run without flags is the slide's run",
           "examples/l303.py",
           (("args.test_size = QUICK_TEST_SIZE if args.quick else None",
             "args.test_size = QUICK_TEST_SIZE"),),
           ("tests/test_command_line.py::test_a_run_without_flags_is_the_slides_run_on_all_the_data",)),
    Mutant("06a --nesterov ignored", "a flag does what it says",
           "examples/l303-example-06a.py",
           (("momentum=args.momentum, nesterov=args.nesterov)", "momentum=args.momentum)"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[06a --momentum --nesterov --decay]",)),
    Mutant("04c --patience ignored", "a flag does what it says",
           "examples/l303-example-04c.py", (("patience=args.patience)", "patience=PATIENCE)"),),
           ("tests/test_flags.py::test_patience_is_the_epochs_early_stopping_waits_after_the_lowest_validation_loss",)),
    Mutant("06b --batch-sizes ignored", "a flag does what it says",
           "examples/l303-example-06b.py", (("for batch_size in args.batch_sizes:", "for batch_size in BATCH_SIZES:"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[06b --batch-sizes]",)),
    Mutant("06c --optimizers ignored", "a flag does what it says",
           "examples/l303-example-06c.py", (("for name in args.optimizers:", "for name in OPTIMIZERS:"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[06c --optimizers]",)),
    Mutant("02 --different-weights ignored", "a flag does what it says",
           "examples/l303-example-02.py",
           (('"different": args.different_weights}', '"different": DIFFERENT_WEIGHTS}'),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[02 --initial-weights --different-weights]",)),
    Mutant("02a --initial-weights ignored", "a flag does what it says",
           "examples/l303-example-02a.py",
           (("w1, b1, w2, b2 = args.initial_weights", "w1, b1, w2, b2 = INITIAL_WEIGHTS"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[02a --initial-weights]",)),
    Mutant("04 --lr ignored", "a flag does what it says",
           "examples/l303-example-04.py",
           (("optimizer=keras.optimizers.SGD(learning_rate=args.lr),", "optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE),"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[l303-example-04]",)),
    Mutant("07 --batch-size ignored", "a flag does what it says",
           "examples/l303-example-07.py",
           (("batch_size=args.batch_size),", "batch_size=BATCH_SIZE),"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[l303-example-07]",)),
    Mutant("08 --kernel-size ignored", "a flag does what it says",
           "examples/l303-example-08.py", (("k = args.kernel_size", "k = KERNEL_SIZE"),),
           ("tests/test_flags.py::test_a_flag_reaches_what_it_names_in_the_model_the_run_built[08 --kernel-size]",)),
    Mutant("05 rotation shrunk to a quarter", "ARTIFICIAL DATA EXPANDING: copies turned by the angles named",
           "examples/l303.py",
           (("rotate_images(x, +low, +high)", "rotate_images(x, +low / 4, +high / 4)"),),
           ("tests/test_lessons_overtraining.py::test_05s_angle_range_turns_its_copies_by_the_angles_it_names",)),
    Mutant("claims: 06b reads batch 30", "SIZE OF MINI-BATCH?: batch 300 against batch 10",
           "tools/claims.py",
           (('at_epoch(curve(runs["06b"], "batch_300"), 5)', 'at_epoch(curve(runs["06b"], "batch_30"), 5)'),),
           ("tests/test_claims_can_fail.py::test_every_claim_reads_what_its_words_name_and_nothing_else",)),
    Mutant("claims: 06b a later epoch", "SIZE OF MINI-BATCH?: the loss at epoch 5",
           "tools/claims.py",
           (('at_epoch(curve(runs["06b"], "batch_300"), 5)', 'at_epoch(curve(runs["06b"], "batch_300"), 6)'),),
           ("tests/test_claims_can_fail.py::test_every_claim_reads_what_its_words_name_and_nothing_else",)),
    Mutant("claims: a one-sided similar", "every \"similar\" claim: much worse is not similar either",
           "tools/verdicts.py", (("if high <= -margin or low >= margin", "if low >= margin"),),
           ("tests/test_claims.py::test_a_similar_claim_holds_inside_the_margin_fails_outside_and_is_noise_across_it",)),
    Mutant("setup keeps another Python's .venv", "make setup PYTHON=... makes the environment with it",
           "tools/setup.sh", (('[ "$venv_version" = "$chosen_version" ]', "true"),),
           ("tests/test_setup.py::test_a_venv_of_another_python_or_half_made_is_made_anew_and_a_good_one_kept",)),
    Mutant("band: set against other data", "a quick run is not compared with the slide's band",
           "examples/l303_plots.py",
           (('OTHER_DATA_SETTINGS = ("quick", "train_size")', "OTHER_DATA_SETTINGS = ()"),),
           ("tests/test_figures.py::test_a_changed_setting_is_named_beside_the_band_and_other_data_gets_no_band",)),
    # One of each kind of careless edit issue 36 names that had no mutant yet.
    Mutant("claims: 04c's printed validation accuracy of the test set",
           "EARLY STOPPING: the printed validation accuracy is set against validation accuracies",
           "tools/claims.py",
           (('lambda r: score(r, "early_stopping", "validation")', 'lambda r: score(r, "early_stopping")'),),
           ("tests/test_claims_can_fail.py::test_every_printed_number_is_set_against_what_its_name_says",)),
    Mutant("fingerprint: the shared modules left out", "a result is stale when the code behind it changed",
           "examples/l303_files.py",
           (('NOT_COMPUTING = ("l303_files", "l303_plots", "l303_classroom")',
             'NOT_COMPUTING = ("l303_files", "l303_plots", "l303_classroom", "l303", "l303_workarounds")'),),
           ("tests/test_tools.py::test_drawing_and_wording_stale_nothing_and_what_computes_stales_the_scripts_it_reaches",)),
    Mutant("record: results filed by labels pass", "a record files every model's numbers under its key",
           "tools/record.py", (('for field in ("histories", "results")', 'for field in ("histories",)'),),
           ("tests/test_lab_logic.py::test_a_record_of_todays_schema_has_no_problem_and_one_filed_by_labels_has",)),
    Mutant("record: a record without a version is today's", "an older record gets its one line",
           "tools/record.py", (('version = record.get("schema", 1)', 'version = record.get("schema", 2)'),),
           ("tests/test_lab_logic.py::test_only_a_record_of_an_older_schema_is_called_older",)),
    Mutant("bands: a band without seed 1", "every band is the reference run's seeds, seed 1 among them",
           "tools/bands.py", (("if 1 in results and len(results) >= MINIMUM_SEEDS", "if len(results) >= MINIMUM_SEEDS"),),
           ("tests/test_lab_logic.py::test_a_run_without_seed_1_has_no_band_however_many_other_seeds_it_has",)),
    Mutant("claims: a 20-epoch window", "BATCH NORMALIZATION, LARGER/DEEPER NETWORK: the first 10 epochs",
           "tools/claims.py", (("def early_mean(values, epochs=10):", "def early_mean(values, epochs=20):"),),
           ("tests/test_claims_can_fail.py::test_every_claim_reads_what_its_words_name_and_nothing_else",)),
    Mutant("08 --rotate-test in radians", "Practice 02: the test digits turned within the degrees named",
           "examples/l303.py",
           (("rotated = rotate_images(x_test, -degrees, degrees)",
             "rotated = rotate_images(x_test, -np.radians(degrees), np.radians(degrees))"),),
           ("tests/test_numbers_and_figures.py::test_08s_rotated_test_accuracy_is_of_its_test_digits_turned",)),
    Mutant("03 runner-up probability of the third", "INTERMISSION: the second choice's probability",
           "examples/l303-example-03.py",
           (("second = probabilities[failed, ranked[failed, 1]]", "second = probabilities[failed, ranked[failed, 2]]"),),
           ("tests/test_lessons_stories.py::test_the_runner_up_numbers_03_prints_are_those_of_its_model",)),
]


def scratch_copy(folder):
    """The repository's files (tracked, and new ones git does not ignore) copied into a folder in
    FOLDER, with the lecture's ../shared beside it as in a checkout; that copy's folder."""
    copy = Path(folder) / REPO.name
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if (REPO.parent / "shared").is_dir():
        (Path(folder) / "shared").symlink_to(REPO.parent / "shared")
    return copy


def run_tests(folder, tests, flags=None):
    """pytest TESTS in FOLDER, with FOLDER's shared module first on the path; its exit status.
    flags: {script: flags} that the tests' runs of that script get after their own."""
    environment = dict(os.environ, PYTHONPATH=str(folder / "examples"), PYTHONDONTWRITEBYTECODE="1",
                       L303_MUTANT_FLAGS=json.dumps(flags or {}))
    completed = subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "-x", "-q", "-rfs",
                                "-p", "no:cacheprovider", "-p", "no:warnings", *tests], cwd=folder,
                               env=environment, capture_output=True, text=True)
    return completed.returncode, completed.stdout[-2000:]


def try_mutant(mutant):
    """(verdict, seconds): "caught", "SURVIVED", or "NOT APPLIED: ..." / "ERROR ...". """
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        folder = scratch_copy(scratch)
        path = folder / mutant.file
        try:
            path.write_text(apply_edits(path.read_text(), mutant.edits, mutant.file))
        except ValueError as error:
            return f"NOT APPLIED: {error}", 0.0
        flags = {Path(mutant.file).stem: list(mutant.flags)} if mutant.flags else None
        status, output = run_tests(folder, mutant.tests, flags)
    seconds = time.perf_counter() - started
    if status == 1:
        return "caught", seconds
    if status == 0:
        return "SURVIVED", seconds
    return f"ERROR (pytest exit {status}): {output.strip().splitlines()[-1:]}", seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="only the changes whose name starts so")
    parser.add_argument("--jobs", type=int, default=2, help="changes tried side by side (default: 2)")
    parser.add_argument("--list", action="store_true", help="list the changes, run nothing")
    args = parser.parse_args(argv)
    chosen = [mutant for mutant in MUTANTS
              if not args.names or any(mutant.name.startswith(name) for name in args.names)]
    if args.list or not chosen:
        for mutant in chosen or MUTANTS:
            print(f"{mutant.name:45s} {mutant.lesson}")
        return 0 if chosen else 2
    started = time.perf_counter()
    tests = sorted({test for mutant in chosen for test in mutant.tests})
    print(f"mutants: first the {len(tests)} tests on the unchanged code ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="mutant-none-") as scratch:
        status, output = run_tests(scratch_copy(scratch), tests)
    if status != 0:
        print(f"mutants: the tests fail without any change (exit {status}); fix them first:\n{output}")
        return 1
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for mutant, (verdict, seconds) in zip(chosen, pool.map(try_mutant, chosen)):
            failures += verdict != "caught"
            print(f"{verdict:9s} {seconds:5.0f} s  {mutant.name}: {mutant.lesson}", flush=True)
    print(f"mutants: {len(chosen) - failures} of {len(chosen)} changes caught, {failures} not, in "
          f"{(time.perf_counter() - started) / 60:.1f} minutes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
