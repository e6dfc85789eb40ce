from django.db import migrations, models


class Migration(migrations.Migration):
    """The catalogue's change log: editors' saves refresh cached counts instead of invalidating them all."""

    dependencies = [
        ("articles", "0008_file_versions_and_soft_delete"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueversion",
            name="seq",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="catalogueversion",
            name="nonce",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.CreateModel(
            name="CountChange",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("nonce", models.CharField(max_length=16)),
                ("article_id", models.BigIntegerField()),
                ("before", models.JSONField(null=True)),
                ("after", models.JSONField(null=True)),
                ("text_changed", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "计数变更", "verbose_name_plural": "计数变更"},
        ),
    ]
