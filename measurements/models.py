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
