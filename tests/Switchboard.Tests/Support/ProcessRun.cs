using System.Diagnostics;
using System.Text;

namespace Switchboard.Tests.Support;

/// <summary>Runs a process to completion with a deadline, feeding stdin and capturing both outputs.</summary>
internal static class ProcessRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + "\n" + Stderr;
    }

    /// <param name="holdStdinOpen">How long stdin stays open after <paramref name="stdin"/> is written; with
    /// <paramref name="answered"/>, the longest it stays open waiting for the output to satisfy it.</param>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, byte[]? stdin = null, TimeSpan? holdStdinOpen = null, Func<string, bool>? answered = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var (stdoutText, stderrText) = (new StringBuilder(), new StringBuilder());
        var stdout = Collect(process.StandardOutput, stdoutText);
        var stderr = Collect(process.StandardError, stderrText);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            await process.StandardInput.BaseStream.FlushAsync();
        }

        if (holdStdinOpen is { } hold)
        {
            // openssl s_client ends the connection at stdin EOF; give the peer time to answer first. A loaded
            // machine can take longer than any fixed pause, so a caller that knows the answer waits for it.
            if (answered is null)
            {
                await Task.Delay(hold);
            }
            else
            {
                var until = DateTime.UtcNow + hold;
                while (DateTime.UtcNow < until && !answered(Snapshot(stdoutText) + "\n" + Snapshot(stderrText)))
                {
                    await Task.Delay(50);
                }
            }
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await Task.WhenAll(stdout, stderr);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}: {Snapshot(stdoutText)}{Snapshot(stderrText)}");
        }

        await Task.WhenAll(stdout, stderr);
        return new Result(process.ExitCode, Snapshot(stdoutText), Snapshot(stderrText));
    }

    private static async Task Collect(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>The <c>switchboard</c> CLI, as built next to the tests.</summary>
    public static Task<Result> SwitchboardAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync("dotnet", new[] { CliBinary.Dll }.Concat(arguments), timeout);

    public static Task<Result> OpenSslClientAsync(IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? hold = null, Func<string, bool>? answered = null) =>
        RunAsync("openssl", new[] { "s_client" }.Concat(arguments), TimeSpan.FromSeconds(20), stdin, hold ?? TimeSpan.FromMilliseconds(answered is null ? 500 : 10_000), answered);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
