"""Issue numbers and continuation pages on Article (issue 12), and the index the issue browse reads.

The three columns are added in place on SQLite (AddFieldInPlace): AddField
copied a million-article table once per field.
"""

from django.db import migrations, models

from articles.migration_operations import AddFieldInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_search_bylines_sources'),
    ]

    operations = [
        AddFieldInPlace(
            model_name='article',
            name='continued_from',
            field=models.CharField(blank=True, max_length=16, verbose_name='上接版次'),
        ),
        AddFieldInPlace(
            model_name='article',
            name='continued_on',
            field=models.CharField(blank=True, max_length=16, verbose_name='下转版次'),
        ),
        AddFieldInPlace(
            model_name='article',
            name='issue',
            field=models.CharField(blank=True, max_length=48, verbose_name='期号'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['is_public', 'source', 'date_sort', 'day', 'issue', 'page'], name='article_source_issue'),
        ),
    ]
