using Engagement.Core.Domain;

namespace Engagement.Core.Tests.Domain;

public sealed class ReferenceDataTests
{
    [Fact]
    public void There_are_thirteen_local_areas_with_unique_case_sensitive_codes()
    {
        Assert.Equal(13, Districts.LocalAreas.Count());
        Assert.Equal(Districts.All.Count, Districts.All.Select(d => d.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("Dover", Districts.NameOf("D"));
        Assert.Equal("Dartford", Districts.NameOf("Da"));
        Assert.False(Districts.IsValid("999"));
        Assert.False(Districts.IsValid("../x"));
    }

    [Fact]
    public void Six_shared_outcomes_plus_general()
    {
        Assert.Equal(6, Outcomes.Shared.Count());
        Assert.Equal("Support and grow our workforce", Outcomes.NameOf(6));
        Assert.False(Outcomes.IsValid(7));
    }
}
