using System.Buffers;
using Switchboard.Tls;

namespace Switchboard.Bench.Handshake;

/// <summary>One engine client/server handshake in memory, the way an IO actor pair would pump it.</summary>
internal sealed class EnginePair
{
    private const int MaxRounds = 32;

    private readonly ArrayBufferWriter<byte> toServer = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> toClient = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> swap = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> plaintext = new(64 * 1024);

    public EnginePair(TlsContext client, TlsContext server, string endpoint)
    {
        Client = client;
        Server = server;
        Endpoint = endpoint;
    }

    public TlsContext Client { get; }

    public TlsContext Server { get; }

    public string Endpoint { get; }

    /// <summary>Handshake (plus TLS 1.3 tickets) and close_notify; returns the newest session the client got.</summary>
    public TlsSession? Run(TlsSession? resume, bool expectResumed)
    {
        using var client = TlsConnection.CreateClient(Client, Endpoint, resume);
        using var server = TlsConnection.CreateServer(Server);
        TlsSession? newest = null;
        client.Start(toServer);
        Pump(client, server, ref newest);
        if (client.State != TlsState.Established || server.State != TlsState.Established)
        {
            throw new InvalidOperationException($"benchmark handshake failed: client {client.Failure}, server {server.Failure}");
        }
        if (client.Handshake!.Resumed != expectResumed)
        {
            throw new InvalidOperationException($"expected resumed={expectResumed}, got {client.Handshake}");
        }
        client.Close(toServer);
        Pump(client, server, ref newest);
        server.Close(toClient);
        Pump(client, server, ref newest);
        return newest;
    }

    private void Pump(TlsConnection client, TlsConnection server, ref TlsSession? newest)
    {
        for (var round = 0; round < MaxRounds && (toServer.WrittenCount > 0 || toClient.WrittenCount > 0); round++)
        {
            if (toServer.WrittenCount > 0)
            {
                Move(toServer);
                server.Receive(swap.WrittenSpan, toClient, plaintext);
            }
            if (toClient.WrittenCount > 0)
            {
                Move(toClient);
                if (client.Receive(swap.WrittenSpan, toServer, plaintext).HasFlag(TlsProgress.NewSessions))
                {
                    foreach (var session in client.TakeNewSessions())
                    {
                        newest?.Dispose();
                        newest = session;
                    }
                }
            }
        }
        plaintext.ResetWrittenCount();
    }

    private void Move(ArrayBufferWriter<byte> from)
    {
        swap.ResetWrittenCount();
        swap.Write(from.WrittenSpan);
        from.ResetWrittenCount();
    }
}
