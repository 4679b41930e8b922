from django.conf import settings
from django.db import models


class Measurement(models.Model):
    """Projection of a measurement aggregate: what the user recorded, weight in kg."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    measurement_id = models.UUIDField()
    measured_at = models.DateTimeField()
    weight_kg = models.FloatField(null=True)
    weight = models.FloatField(null=True)
    unit = models.CharField(max_length=2, null=True)
    height_cm = models.FloatField(null=True)
    neck_cm = models.FloatField(null=True)
    waist_cm = models.FloatField(null=True)
    hip_cm = models.FloatField(null=True)
    chest_cm = models.FloatField(null=True)
    arm_cm = models.FloatField(null=True)
    thigh_cm = models.FloatField(null=True)
    body_fat_pct = models.FloatField(null=True, help_text="Measured (e.g. by calipers or DEXA), if recorded.")
    sex = models.CharField(max_length=6, null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "measurement_id"], name="measurement_unique")]
        indexes = [models.Index(fields=["user", "-measured_at"], name="measurement_user_time")]

    def __str__(self) -> str:
        return f"Measurement {self.measured_at:%Y-%m-%d}"


class ProgressPhoto(models.Model):
    """A progress photo of a measurement (front, side or back), private to its owner.

    Not a projection: photos are files, uploaded apart from the event log once their
    measurement has synced. ``measurement_id`` is the aggregate's id (no foreign key), so a
    rebuild of the projections leaves photos alone; a photo whose measurement is deleted is
    no longer shown. The file lives in the "photos" storage (``measurements.photos``) under
    ``file_name``; it goes with the row when the account is deleted."""

    POSES = (("front", "Front"), ("side", "Side"), ("back", "Back"))

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    photo_id = models.UUIDField()
    measurement_id = models.UUIDField()
    pose = models.CharField(max_length=5, choices=POSES)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "photo_id"], name="progress_photo_unique")]
        indexes = [models.Index(fields=["user", "measurement_id"], name="progress_photo_measurement")]

    def __str__(self) -> str:
        return f"Progress photo ({self.pose})"
