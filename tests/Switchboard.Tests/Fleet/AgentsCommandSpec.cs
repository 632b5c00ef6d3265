using Switchboard.Tests.Support;

namespace Switchboard.Tests.Fleet;

/// <summary><c>switchboard agents</c> argument errors: each is a usage error (exit 2) that names the problem.</summary>
public sealed class AgentsCommandSpec
{
    [Theory]
    [InlineData("--fault bogus", "'bogus' not recognized")]
    [InlineData("--fault stall --fault-share 1.5", "--fault-share must be a number between 0 and 1")]
    [InlineData("--fault-share 0.5", "--fault-share and --flap-every need --fault MODE")]
    [InlineData("--fault stall --flap-every 2", "--flap-every only applies to --fault flap")]
    [InlineData("--fault flap --flap-every 0", "--flap-every must be a number between 0.1 and 3600")]
    [InlineData("--shard 2/2", "--shard must be K/M with 0 <= K < M <= --count, not '2/2'")]
    [InlineData("--shard 1/3", "--shard must be K/M with 0 <= K < M <= --count, not '1/3'")]
    [InlineData("--shard half", "--shard must be K/M with 0 <= K < M <= --count, not 'half'")]
    public async Task Bad_fault_options_are_usage_errors_that_name_the_problem(string options, string message)
    {
        string[] args = ["agents", "--certs", TestPki.Instance.Layout.Directory, "--count", "2", .. options.Split(' ')];
        var (exit, stderr) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task The_unknown_mode_error_lists_every_mode()
    {
        var (_, stderr) = await RunAsync("agents", "--certs", TestPki.Instance.Layout.Directory, "--count", "2", "--fault", "nope");
        Assert.All(new[] { "stall", "stall-mid", "garbage", "reset", "slow", "wrong-identity", "expired", "untrusted", "flap", "silent" },
            mode => Assert.Contains($"'{mode}'", stderr));
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        var result = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), args);
        return (result.ExitCode, result.Stderr);
    }
}
