using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary>The CLI as a newcomer meets it: help for every command, named mistakes, and the tool package installed from a folder.</summary>
public sealed class CliHelpAndPackageSpec
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("demo", "--agents")]
    [InlineData("connect", "--log-format")]
    [InlineData("check", "--config")]
    [InlineData("certs", "--key")]
    [InlineData("agents", "--fault")]
    [InlineData("probe", "--session-file")]
    public async Task Every_command_answers_help_with_its_options_and_an_example_and_exits_0(string command, string option)
    {
        var run = await ProcessRun.RunAsync("dotnet", [CliBinary.Dll, command, "--help"], Limit);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Usage:", run.Stdout);
        Assert.Contains($"  switchboard {command} [", run.Stdout);
        Assert.Contains(option, run.Stdout);
        Assert.Contains($"Example:\n  switchboard {command}", run.Stdout);
        Assert.Contains("0 ok, 2 usage or invalid configuration, 1 runtime failure", run.Stdout);
    }

    [Fact]
    public async Task A_bad_option_value_names_the_valid_ones_and_exits_2()
    {
        var directory = Directory.CreateTempSubdirectory("cli-bad-key-").FullName;
        try
        {
            var run = await ProcessRun.RunAsync("dotnet", [CliBinary.Dll, "certs", "--out", directory, "--agents", "1", "--key", "dsa-1024"], Limit);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("'dsa-1024' not recognized", run.Stderr);
            Assert.All(new[] { "ecdsa-p256", "rsa-2048", "rsa-4096" }, key => Assert.Contains($"'{key}'", run.Stderr));

            var unknown = await ProcessRun.RunAsync("dotnet", [CliBinary.Dll, "check", "--config", "x.conf", "--colour"], Limit);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("--colour", unknown.Stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_tool_package_installs_from_a_folder_and_reports_its_version()
    {
        var root = CliBinary.RepositoryRoot();
        var scratch = Directory.CreateTempSubdirectory("cli-tool-").FullName;
        try
        {
            var packages = Path.Combine(scratch, "packages");
            var pack = await ProcessRun.RunAsync("dotnet", ["pack", Path.Combine(root, "src", "Switchboard.Cli"), "-c", "Release", "-o", packages, "--nologo", "-v", "q"], TimeSpan.FromMinutes(4));
            Assert.True(pack.ExitCode == 0, pack.All);
            var package = Assert.Single(Directory.GetFiles(packages, "Switchboard.Cli.*.nupkg"));

            var tools = Path.Combine(scratch, "tools");
            var install = await ProcessRun.RunAsync("dotnet", ["tool", "install", "Switchboard.Cli", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources"], TimeSpan.FromMinutes(2));
            Assert.True(install.ExitCode == 0, install.All);

            var version = await ProcessRun.RunAsync(Path.Combine(tools, "switchboard"), ["--version"], Limit);
            Assert.True(version.ExitCode == 0, version.All);
            var expected = Path.GetFileNameWithoutExtension(package)["Switchboard.Cli.".Length..];
            Assert.StartsWith(expected, version.Stdout.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
