import pytest
import torch

from sample_mlops.model import IrisClassifier


def test_output_has_one_logit_per_class() -> None:
    model = IrisClassifier()
    assert model(torch.randn(8, 4)).shape == (8, 3)


def test_wrong_input_shape_raises() -> None:
    model = IrisClassifier()
    with pytest.raises(ValueError, match="expected a batch"):
        model(torch.randn(8, 5))


def test_one_training_step_lowers_the_loss() -> None:
    torch.manual_seed(0)
    model = IrisClassifier(dropout=0.0)
    x, y = torch.randn(32, 4), torch.randint(0, 3, (32,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    before = loss_fn(model(x), y)
    before.backward()
    optimizer.step()
    after = loss_fn(model(x), y)
    assert after.item() < before.item()
