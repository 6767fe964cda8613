using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

public class TaxonomyTests
{
    [Fact]
    public void Loads_outcomes_and_themes_and_maps_theme_to_outcome()
    {
        var dir = Synthetic.WriteDataDir(4);
        var taxonomy = Taxonomy.Load(Path.Combine(dir, "..", "taxonomy.json"));

        Assert.Equal(3, taxonomy.Outcomes.Count);
        Assert.Equal(Synthetic.Themes.Length, taxonomy.Themes.Count);
        Assert.Equal(2, taxonomy.ThemeOutcome("housing"));
        Assert.Equal(["dentist tooth"], taxonomy.FindTheme("dental")!.ExamplePhrases);
        Assert.Throws<KeyNotFoundException>(() => taxonomy.ThemeOutcome("nope"));
    }

    [Fact]
    public void Missing_file_gives_a_clear_error()
    {
        var ex = Assert.Throws<TaxonomyException>(() => Taxonomy.Load("/nonexistent/taxonomy.json"));
        Assert.Contains("not found", ex.Message);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"outcomes\": []}")]
    [InlineData("{\"outcomes\": [{\"id\": 0, \"name\": \"G\"}], \"themes\": [{\"id\": \"x\", \"name\": \"X\", \"outcome\": 3}]}")]
    [InlineData("{\"outcomes\": [{\"id\": 0, \"name\": \"G\"}], \"themes\": []}")]
    public void Bad_file_gives_a_clear_error(string json)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, json);
        var ex = Assert.Throws<TaxonomyException>(() => Taxonomy.Load(path));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
