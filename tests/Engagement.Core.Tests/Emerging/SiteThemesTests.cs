using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Emerging;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Emerging;

public sealed class SiteThemesTests
{
    [Fact]
    public async Task A_theme_added_in_the_site_is_appended_to_a_copy_of_the_taxonomy_the_retrain_reads()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var file = RepoPaths.Resolve(Taxonomy.DefaultPath);
        var original = Taxonomy.Load(file);
        var themes = new ThemeStore(db);
        var output = Path.Combine(Path.GetTempPath(), "site-themes-" + Guid.NewGuid().ToString("N"));

        await themes.SeedAsync([new ThemeSeed("gp-access", "GP access", 4, "", [], null)]);
        var unchanged = await SiteThemes.ExtendTaxonomyAsync(file, themes, output);
        Assert.Equal((file, 0), unchanged);

        await themes.SeedAsync([new ThemeSeed("hearing-aid-batteries", "Hearing aid batteries", 4, "Getting batteries", [], null)]);
        var (path, added) = await SiteThemes.ExtendTaxonomyAsync(file, themes, output);
        Assert.Equal(1, added);
        Assert.NotEqual(file, path);
        var extended = Taxonomy.Load(path);
        Assert.Equal(original.Themes.Count + 1, extended.Themes.Count);
        Assert.Equal(4, extended.ThemeOutcome("hearing-aid-batteries"));
        Assert.Equal(original.Outcomes.Count, extended.Outcomes.Count);
        Directory.Delete(output, recursive: true);
    }
}
