using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

internal static class ProblemAssert
{
    /// <summary>Exactly one problem at <paramref name="path"/>, whose message contains <paramref name="fragment"/>.</summary>
    public static ConfigProblem Single(SettingsResult result, string path, string fragment)
    {
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
        return problem;
    }
}
