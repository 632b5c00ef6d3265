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

    /// <param name="answered">When given, stdin stays open after <paramref name="stdin"/> is written until the
    /// output satisfies it (at most <paramref name="answerLimit"/>): openssl s_client ends the connection at
    /// stdin EOF, so it must see the answer it is there for first.</param>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, byte[]? stdin = null, Func<string, bool>? answered = null, TimeSpan? answerLimit = null)
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

        if (answered is not null)
        {
            try
            {
                await Eventually.AssertAsync(() => Assert.True(answered(Snapshot(stdoutText) + "\n" + Snapshot(stderrText))), answerLimit ?? TimeSpan.FromSeconds(10));
            }
            catch (Xunit.Sdk.XunitException)
            {
                // Not answered in time: close stdin anyway; the caller's assertions on the output say what was missing.
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

    /// <summary><c>openssl s_client</c>, its stdin open until the output shows what <paramref name="answered"/> waits for.</summary>
    public static Task<Result> OpenSslClientAsync(IEnumerable<string> arguments, Func<string, bool> answered, byte[]? stdin = null) =>
        RunAsync("openssl", new[] { "s_client" }.Concat(arguments), TimeSpan.FromSeconds(20), stdin, answered);

    /// <summary>s_client printed the end of its handshake (with the session, new or reused).</summary>
    public static bool HandshakeDone(string output) => output.Contains("New, TLSv1.", StringComparison.Ordinal) || output.Contains("Reused, TLSv1.", StringComparison.Ordinal);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
