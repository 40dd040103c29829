"""p(x|z) as a model declares it: the distribution its decoder's output is the parameter of.

    Likelihood("bernoulli")                 decoder(z): each pixel's probability (a sigmoid output)
    Likelihood("bernoulli", logits=True)    decoder.logits(z): their logits; decoder(z) = sigmoid(logits)
    Likelihood("gaussian", variance=0.768)  N(x; decoder(z), variance * I)

Each model says which one its training loss is the negative log of (``model.likelihood``);
the evaluation turns it into log p(x|z), and the figures and the explorer need not guess.
"""
from dataclasses import dataclass

FAMILIES = ("bernoulli", "gaussian")


@dataclass(frozen=True)
class Likelihood:
    """p(x|z) as a model declares it: a family, and how the decoder's output parameterizes it."""

    family: str
    logits: bool = False    # bernoulli: the decoder has .logits(z), and decoder(z) is their sigmoid
    variance: float = None  # gaussian: sigma^2
    why: str = ""           # gaussian: where sigma^2 comes from, for the evaluation's sentence

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"Likelihood: family must be one of {', '.join(FAMILIES)}, got {self.family!r}")
        if (self.family == "gaussian") != (self.variance is not None):
            raise ValueError("Likelihood: a gaussian p(x|z) needs its variance, a bernoulli one has none")


def implied_variance(beta, pixels):
    """The sigma^2 of the Gaussian p(x | z) = N(decoder(z), sigma^2 I) behind a beta-weighted MSE.

    The VAE's loss is beta * mean over the D pixels of (x - m)^2 + KL, and

        -log N(x; m, sigma^2 I) = sum (x - m)^2 / (2 sigma^2) + (D / 2) log(2 pi sigma^2).

    The two reconstruction terms agree up to a constant when beta / D = 1 / (2 sigma^2):

        sigma^2 = D / (2 beta).

    The faces VAE (beta 2000, D = 3 * 32 * 32) gives sigma^2 = 0.768; the CIFAR-10 VAE
    (beta = D = 3072, the blog's summed MSE) gives sigma^2 = 0.5.
    """
    return pixels / (2.0 * beta)
