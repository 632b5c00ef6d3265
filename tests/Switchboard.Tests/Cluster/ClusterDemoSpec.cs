using System.Text.RegularExpressions;
using Switchboard.Tests.Support;
using Xunit.Abstractions;

namespace Switchboard.Tests.Cluster;

/// <summary><c>switchboard demo --nodes 3</c>: a cold connect over three masters, one killed, one joined; the moved endpoints resume.</summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed partial class ClusterDemoSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task Demo_with_three_nodes_shows_the_killed_masters_endpoints_resumed_on_the_survivors()
    {
        var run = await ProcessRun.RunAsync("dotnet", [CliBinary.Dll, "demo", "--nodes", "3", "--agents", "150"], TimeSpan.FromSeconds(180));
        output.WriteLine(run.Stdout);

        Assert.True(run.ExitCode == 0, run.All);
        foreach (var phase in new[] { "kill", "join" })
        {
            var row = Row().Match(run.Stdout.Split('\n').Single(line => line.Contains($"│ {phase} ", StringComparison.Ordinal)));
            Assert.True(row.Success, run.Stdout);
            var moved = int.Parse(row.Groups["moved"].Value);
            var resumed = int.Parse(row.Groups["resumed"].Value);
            Assert.Equal("150/150", row.Groups["connected"].Value);
            Assert.True(moved > 0 && resumed >= moved * 95 / 100, $"{phase}: {resumed} of {moved} moved endpoints resumed");
        }
    }

    [GeneratedRegex(@"│\s*(?<phase>\w+)\s*│\s*\d+\s*│\s*(?<connected>\d+/\d+)\s*│.*│\s*(?<moved>\d+) / (?<resumed>\d+)\s*│")]
    private static partial Regex Row();
}
