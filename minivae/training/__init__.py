"""Training: the fit loop, checkpoints and the loss history."""
from .fit import fit, validation_losses, TrainingDiverged, CheckpointMismatch, CHECKPOINT, HISTORY
from .checkpoint import Progress, read_progress, save_checkpoint, read_checkpoint
from .history import EpochMeans, read_history, write_history

__all__ = ["fit", "validation_losses", "TrainingDiverged", "CheckpointMismatch", "CHECKPOINT", "HISTORY",
           "save_checkpoint", "read_checkpoint", "Progress", "read_progress", "EpochMeans", "read_history",
           "write_history"]
