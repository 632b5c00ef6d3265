using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary>
/// A connection flood against a process near its open-file limit. Taking the last descriptors made the
/// .NET runtime abort the process ("Out of memory."), and an accept retried at once after EMFILE spun a
/// core and flooded the log (both seen under a 5,000-endpoint RSA storm). The listener now keeps a
/// reserve of descriptors, refuses connections beyond it and says so once, and backs off on a failing
/// accept. The agent runs in its own process with a small open-file limit, so the exhaustion is real and
/// this test process is not touched.
/// </summary>
public sealed class AcceptExhaustionSpec
{
    private const int FileLimit = 150;
    private const int Flood = 250;

    [Fact]
    public async Task An_agent_flooded_near_its_file_limit_refuses_the_excess_says_so_once_stays_up_and_serves_again()
    {
        var pki = TestPki.Instance.Layout;
        var port = FreePort();
        var cli = CliBinary.Dll;
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", $"ulimit -n {FileLimit} && exec dotnet \"$0\" agents --certs \"$1\" --count 1 --port {port}", cli, pki.Directory })
        {
            info.ArgumentList.Add(a);
        }

        using var agent = Process.Start(info)!;
        var stdout = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("ready 1", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        agent.BeginOutputReadLine();
        var stderr = agent.StandardError.ReadToEndAsync();
        var flood = new List<Socket>();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // More connections than the agent may hold descriptors for: the rest wait in its accept queue.
            for (var i = 0; i < Flood; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(AgentAddresses.For(0), port)).WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (SocketException)
                {
                    // Refused with a reset once the agent reached its reserve: what it should do.
                }
            }

            await Eventually.AssertAsync(() => Assert.True(Text(stdout).Contains("refusing connections", StringComparison.Ordinal),
                $"the agent never reached its descriptor reserve; it said: {Text(stdout)}"), TimeSpan.FromSeconds(10));

            // More connections while it sits at its reserve: each is refused (a spinning accept loop, or one
            // that logs every refusal, would show in the warnings counted below).
            for (var i = 0; i < 50; i++)
            {
                using var extra = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await extra.ConnectAsync(new IPEndPoint(AgentAddresses.For(0), port)).WaitAsync(TimeSpan.FromSeconds(5));
                    Assert.Equal(0, await extra.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10)));
                }
                catch (SocketException)
                {
                    // Refused with a reset: what it should do.
                }
            }

            foreach (var socket in flood)
            {
                socket.Dispose();
            }

            flood.Clear();
            // Like any client after an outage, the probe retries while the agent works through its queue of dead connections.
            ProcessRun.Result probe;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            do
            {
                probe = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(30),
                    "probe", "--certs", pki.Directory, "--name", PkiLayout.AgentName(0), "--host", AgentAddresses.For(0).ToString(), "--port", port.ToString(), "--count", "1");
            }
            while (probe.ExitCode != 0 && !agent.HasExited && DateTime.UtcNow < deadline);

            Assert.True(probe.ExitCode == 0, $"{probe.All}\nagent exited: {agent.HasExited}; it said: {Text(stdout)}");
            Assert.Contains("\"ok\":true", probe.Stdout);
            Assert.False(agent.HasExited, "the agent died");
            // One warning per episode of exhaustion (the fleet logs at WARNING, so the recovery line is not shown):
            // a handful as the agent works through the flood, not one per failed accept.
            var warnings = Regex.Matches(Text(stdout), "accept on .* failed|refusing connections").Count;
            Assert.InRange(warnings, 1, 20);
        }
        finally
        {
            foreach (var socket in flood)
            {
                socket.Dispose();
            }

            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }

            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _ = await stderr;
        }
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(AgentAddresses.For(0), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
