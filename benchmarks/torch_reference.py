"""The book's models written in PyTorch, layer for layer, for side-by-side timing only.

PyTorch is optional: minivae never imports this file; the benchmarks skip the
comparison when torch is not installed.
"""
import torch
from torch import nn


class VAE(nn.Module):
    """The book's Fashion-MNIST VAE (Keras 'same' padding == PyTorch padding 1 + output_padding 1)."""

    def __init__(self, latent_dim=2, beta=500.0, autoencoder=False):
        super().__init__()
        self.beta, self.autoencoder = beta, autoencoder
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(), nn.Flatten())
        self.z_mean = nn.Linear(2048, latent_dim)  # the autoencoder's encoder output
        if not autoencoder:
            self.z_log_var = nn.Linear(2048, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 2048), nn.Unflatten(1, (128, 4, 4)),
            nn.ConvTranspose2d(128, 128, 3, 2, 1, 1), nn.ReLU(),
            nn.ConvTranspose2d(128, 64, 3, 2, 1, 1), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 3, 2, 1, 1), nn.ReLU(),
            nn.Conv2d(32, 1, 3, 1, 1), nn.Sigmoid())

    def loss(self, x):
        h = self.encoder(x)
        mean = self.z_mean(h)
        if self.autoencoder:
            y = self.decoder(mean)
            return nn.functional.binary_cross_entropy(y, x)
        log_var = self.z_log_var(h)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        y = self.decoder(z)
        rec = self.beta * nn.functional.binary_cross_entropy(y, x, reduction="none").mean((1, 2, 3)).mean()
        kl = (-0.5 * (1 + log_var - mean ** 2 - log_var.exp()).sum(1)).mean()
        return rec + kl


class FacesVAE(nn.Module):
    """The book's faces VAE: 4 conv + BN + LeakyReLU blocks, 200-d latent, MSE * 2000."""

    def __init__(self, latent_dim=200, beta=2000.0):
        super().__init__()
        self.beta = beta
        blocks = []
        c = 3
        for _ in range(4):
            blocks += [nn.Conv2d(c, 128, 3, 2, 1), nn.BatchNorm2d(128, momentum=0.01, eps=1e-3), nn.LeakyReLU(0.3)]
            c = 128
        self.encoder = nn.Sequential(*blocks, nn.Flatten())
        self.z_mean = nn.Linear(512, latent_dim)
        self.z_log_var = nn.Linear(512, latent_dim)
        dec = [nn.Linear(latent_dim, 512), nn.BatchNorm1d(512, momentum=0.01, eps=1e-3), nn.LeakyReLU(0.3),
               nn.Unflatten(1, (128, 2, 2))]
        c = 128
        for _ in range(4):
            dec += [nn.ConvTranspose2d(c, 128, 3, 2, 1, 1), nn.BatchNorm2d(128, momentum=0.01, eps=1e-3),
                    nn.LeakyReLU(0.3)]
            c = 128
        dec += [nn.ConvTranspose2d(128, 3, 3, 1, 1), nn.Sigmoid()]
        self.decoder = nn.Sequential(*dec)

    def loss(self, x):
        h = self.encoder(x)
        mean, log_var = self.z_mean(h), self.z_log_var(h)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        y = self.decoder(z)
        rec = self.beta * ((y - x) ** 2).mean((1, 2, 3)).mean()
        kl = (-0.5 * (1 + log_var - mean ** 2 - log_var.exp()).sum(1)).mean()
        return rec + kl


BUILDERS = {
    "fashion-autoencoder": lambda: VAE(autoencoder=True),
    "fashion-vae": lambda: VAE(),
    "faces-vae": lambda: FacesVAE(),
}
INPUT_SHAPES = {"fashion-autoencoder": (1, 32, 32), "fashion-vae": (1, 32, 32), "faces-vae": (3, 32, 32)}


def step_seconds(name, batch_size, device="cpu", repeat=5, warmup=2):
    """Median seconds of one training step (forward, backward, Adam) in PyTorch."""
    import statistics
    import time
    torch.manual_seed(0)
    model = BUILDERS[name]().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand((batch_size,) + INPUT_SHAPES[name], device=device)

    def step():
        optimizer.zero_grad()
        model.loss(x).backward()
        optimizer.step()

    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
