using System.Diagnostics;

namespace Switchboard.Tests.Support;

/// <summary>
/// The built <c>switchboard</c> CLI, run as a child process as an operator runs it. No test project
/// references the CLI: the solution build puts it in src/Switchboard.Cli/bin/&lt;configuration&gt;, and a
/// test run of this project alone builds it there once.
/// </summary>
internal static class CliBinary
{
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> Built = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of Switchboard.Cli.dll, for <c>dotnet &lt;path&gt; ...</c>.</summary>
    public static string Dll => Built.Value;

    private static string Locate()
    {
        var root = RepositoryRoot();
        // The same configuration as this test assembly: bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(root, "src", "Switchboard.Cli", "bin", configuration, framework.Name, "Switchboard.Cli.dll");
        if (!File.Exists(dll))
        {
            Build(root, configuration);
        }

        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the switchboard CLI was not built at {dll}");
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Actors.sln above {AppContext.BaseDirectory}");
    }

    private static void Build(string root, string configuration)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", "src/Switchboard.Cli", "-c", configuration, "--nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }

        using var build = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet build");
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(BuildLimit))
        {
            build.Kill(entireProcessTree: true);
            throw new TimeoutException($"building the switchboard CLI took longer than {BuildLimit}");
        }

        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the switchboard CLI failed: {output.Result}{errors.Result}");
        }
    }
}
