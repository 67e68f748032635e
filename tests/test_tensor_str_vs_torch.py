"""format_tensor against PyTorch's own repr of the same values."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hayabusa._tensor_str import format_tensor, get_printoptions, set_printoptions  # noqa: E402

DEFAULT_OPTIONS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


@pytest.fixture(autouse=True)
def default_print_options():
    yield
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def both_set_printoptions(**options):
    set_printoptions(**options)
    torch.set_printoptions(**options)


def torch_repr(tensor):
    return repr(tensor).replace("torch.", "hayabusa.")


def assert_matches_torch(array, **kwargs):
    before = array.copy()
    expected = torch_repr(torch.from_numpy(array.copy()))
    assert format_tensor(array, str(array.dtype), **kwargs) == expected
    np.testing.assert_array_equal(array, before)


rng = np.random.default_rng(0)

CASES = {
    # 0-d
    "scalar_int": np.array(3),
    "scalar_float": np.array(1.5, dtype=np.float32),
    "scalar_whole_float": np.array(2.0, dtype=np.float32),
    "scalar_tiny": np.array(1e-7, dtype=np.float64),
    "scalar_nan": np.array(np.nan, dtype=np.float32),
    "scalar_bool": np.array(True),
    "scalar_neg_zero": np.array(-0.0, dtype=np.float32),
    # empty
    "empty_f32": np.zeros((0,), np.float32),
    "empty_f64": np.zeros((0,), np.float64),
    "empty_i64": np.zeros((0,), np.int64),
    "empty_bool": np.zeros((0,), np.bool_),
    "empty_0x3": np.zeros((0, 3), np.float32),
    "empty_0x3_i32": np.zeros((0, 3), np.int32),
    "empty_2x0x4": np.zeros((2, 0, 4), np.float32),
    # 1-d .. 4-d floats
    "randn_1d": rng.standard_normal(7).astype(np.float32),
    "randn_2d": rng.standard_normal((3, 4)).astype(np.float32),
    "randn_3d": rng.standard_normal((2, 3, 4)).astype(np.float32),
    "randn_4d": rng.standard_normal((2, 2, 3, 2)).astype(np.float32),
    "randn_2d_f64": rng.standard_normal((3, 3)),
    "randn_2d_f16": rng.standard_normal((3, 3)).astype(np.float16),
    "whole_floats": np.array([1.0, 2.0, -3.0, 100.0], np.float32),
    "whole_floats_2d": np.array([[0.0, 1.0], [-10.0, 1000.0]], np.float32),
    "whole_with_inf": np.array([1.0, np.inf, -np.inf, np.nan], np.float32),
    "zeros": np.zeros(4, np.float32),
    "neg_zero": np.array([-0.0, 0.0, 1.0], np.float32),
    "neg_zero_fraction": np.array([-0.0, 0.5, 1.25], np.float32),
    "only_nonfinite": np.array([np.nan, np.inf, -np.inf], np.float32),
    "nan_mixed": np.array([1.5, np.nan, -2.25], np.float32),
    "inf_sci": np.array([1e-5, 1.0, np.nan, -np.inf]),
    # sci-mode triggers
    "ratio_over_1000": np.array([0.5, 1000.0], np.float32),
    "ratio_at_1000": np.array([1.0, 1000.0], np.float32),
    "ratio_over_1000_fraction": np.array([0.01, 12.5, 20.0], np.float32),
    "large": np.array([1.5e8, 2.0e8], np.float32),
    "large_whole": np.array([1e9, 2e9], np.float64),
    "just_below_1e8": np.array([9.0e7, 5.0e7], np.float64),
    "tiny": np.array([1e-5, 2e-5], np.float32),
    "tiny_with_zero": np.array([0.0, 3e-8, -4e-8], np.float64),
    "huge_f64": np.array([1e200, -1e-200, 0.0]),
    "f16_extremes": np.array([65504.0, 6e-8, -1.0], np.float16),
    # integers and bools
    "int64": np.array([[1, -20, 300], [4, 5, 6]], np.int64),
    "int32": np.array([1, -2, 3], np.int32),
    "int16": np.array([[-32768, 0], [1, 32767]], np.int16),
    "int8": np.array([-128, 0, 127], np.int8),
    "uint8": np.array([[0, 255], [7, 8]], np.uint8),
    "bool": np.array([[True, False], [False, True]]),
    "int_3d": np.arange(24, dtype=np.int64).reshape(2, 3, 4) - 12,
    "int_4d": np.arange(48, dtype=np.int64).reshape(2, 2, 3, 4),
    # summarization
    "summarize_1d": np.arange(2000, dtype=np.float32) / 7,
    "summarize_1d_int": np.arange(1001, dtype=np.int64),
    "summarize_2d": rng.standard_normal((50, 40)).astype(np.float32),
    "summarize_2d_narrow": rng.standard_normal((1000, 2)),
    "summarize_3d": np.arange(2 * 30 * 40, dtype=np.int32).reshape(2, 30, 40),
    "summarize_3d_sci": rng.standard_normal((10, 10, 11)) * 10.0 ** rng.integers(-6, 6, (10, 10, 11)),
    "summarize_bool": rng.standard_normal(1500) > 0,
    # wrapping
    "long_row": rng.standard_normal(40).astype(np.float32),
    "long_row_f64": rng.standard_normal(100),
    "long_int_row": np.arange(300, dtype=np.int64) * 37,
    "long_rows_2d": rng.standard_normal((3, 30)).astype(np.float32),
    "long_rows_3d": rng.standard_normal((2, 2, 25)).astype(np.float32),
    "long_row_sci": rng.standard_normal(30) * 1e-6,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    assert_matches_torch(CASES[name])


def test_requires_grad_suffix():
    tensor = torch.tensor([[1.5, -2.0], [3.0, 4.25]], requires_grad=True)
    array = tensor.detach().numpy()
    assert format_tensor(array, "float32", requires_grad=True) == torch_repr(tensor)


def test_requires_grad_suffix_wraps_after_dtype():
    tensor = torch.tensor(np.linspace(-1, 1, 9), requires_grad=True)
    array = tensor.detach().numpy()
    assert format_tensor(array, "float64", requires_grad=True) == torch_repr(tensor)


def test_grad_fn_suffix():
    tensor = torch.tensor([1.0, 2.5, -3.0], requires_grad=True) * 2
    array = tensor.detach().numpy()
    expected = torch_repr(tensor)
    assert "grad_fn=<MulBackward0>" in expected
    assert format_tensor(array, "float32", requires_grad=True, grad_fn_name="MulBackward0") == expected


def test_grad_fn_suffix_on_scalar():
    tensor = (torch.tensor([1.0, 2.5], dtype=torch.float64, requires_grad=True) + 1).sum()
    array = tensor.detach().numpy()
    assert format_tensor(array, "float64", requires_grad=True, grad_fn_name="SumBackward0") == torch_repr(tensor)


# PyTorch on a CPU-only build cannot make CUDA tensors; these strings follow
# its rule that the device comes first among the suffixes.
def test_device_suffix():
    array = np.array([1.0, 2.0], np.float32)
    assert format_tensor(array, "float32", device="cuda:0") == "tensor([1., 2.], device='cuda:0')"
    assert format_tensor(array, "float32", device="cpu") == "tensor([1., 2.])"
    assert (
        format_tensor(array.astype(np.float64), "float64", device="cuda:0", requires_grad=True)
        == "tensor([1., 2.], device='cuda:0', dtype=hayabusa.float64, requires_grad=True)"
    )


def test_dtype_name_differs_from_array_dtype():
    values = torch.tensor([1.5, -2.25, 3.0], dtype=torch.bfloat16)
    array = values.float().numpy()
    assert format_tensor(array, "bfloat16") == torch_repr(values)


def test_default_dtype_float64():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        for array in (np.array([1.5, 2.0]), np.array([1.5, 2.0], np.float32), np.zeros(0), np.zeros(0, np.float32)):
            expected = torch_repr(torch.from_numpy(array))
            assert format_tensor(array, str(array.dtype), default_dtype_name="float64") == expected
    finally:
        torch.set_default_dtype(previous)


OPTION_SETS = {
    "precision_2": {"precision": 2},
    "precision_0": {"precision": 0},
    "precision_8": {"precision": 8},
    "sci_off": {"sci_mode": False},
    "sci_on": {"sci_mode": True},
    "threshold_5": {"threshold": 5},
    "threshold_0": {"threshold": 0},
    "edgeitems_1": {"threshold": 5, "edgeitems": 1},
    "edgeitems_0": {"edgeitems": 0},
    "edgeitems_0_summarized": {"threshold": 5, "edgeitems": 0},
    "linewidth_40": {"linewidth": 40},
    "linewidth_10": {"linewidth": 10},
    "profile_full": {"profile": "full"},
    "profile_short": {"profile": "short"},
    "profile_short_precision_6": {"profile": "short", "precision": 6},
}

OPTION_CASES = [
    "scalar_float",
    "scalar_int",
    "randn_1d",
    "randn_3d",
    "whole_floats",
    "ratio_over_1000",
    "tiny",
    "large_whole",
    "zeros",
    "whole_with_inf",
    "int64",
    "bool",
    "empty_0x3",
    "summarize_1d",
    "summarize_2d",
    "summarize_3d",
    "long_row",
]


@pytest.mark.parametrize("options", sorted(OPTION_SETS))
@pytest.mark.parametrize("name", OPTION_CASES)
def test_matches_torch_with_printoptions(options, name):
    both_set_printoptions(**OPTION_SETS[options])
    assert_matches_torch(CASES[name])


def test_printoptions_round_trip():
    assert get_printoptions() == DEFAULT_OPTIONS
    set_printoptions(precision=2, linewidth=120, sci_mode=True)
    assert get_printoptions() == {**DEFAULT_OPTIONS, "precision": 2, "linewidth": 120, "sci_mode": True}
    # Like PyTorch, a call without sci_mode puts it back to automatic.
    set_printoptions(precision=3)
    assert get_printoptions()["sci_mode"] is None
    set_printoptions(profile="full")
    assert get_printoptions()["threshold"] == float("inf")
    torch.set_printoptions(profile="full")
    assert get_printoptions() == torch._tensor_str.get_printoptions()


def test_unknown_profile_is_rejected():
    with pytest.raises(ValueError, match="profile"):
        set_printoptions(profile="wide")


def test_big_array_is_summarized_quickly():
    array = np.arange(10_000_000, dtype=np.float64).reshape(1000, 10_000) / 3
    expected = torch_repr(torch.from_numpy(array))
    assert format_tensor(array, "float64") == expected


magnitudes = st.sampled_from([0.0, 1e-9, 1e-5, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e5, 1e9, 1e20])
special = st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan])
element = st.one_of(
    st.builds(lambda m, s: m * s, st.floats(-10, 10), magnitudes),
    st.integers(-1000, 1000).map(float),
    special,
)


@settings(max_examples=300, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple),
    dtype=st.sampled_from([np.float32, np.float64, np.float16]),
    data=st.data(),
    precision=st.sampled_from([None, 2, 6]),
)
def test_random_floats_match_torch(shape, dtype, data, precision):
    count = int(np.prod(shape))
    values = data.draw(st.lists(element, min_size=count, max_size=count))
    with np.errstate(over="ignore"):
        array = np.array(values, dtype=np.float64).astype(dtype).reshape(shape)
    both_set_printoptions(precision=precision)
    try:
        assert_matches_torch(array)
    finally:
        both_set_printoptions(profile="default")
