namespace Switchboard.Supervision;

/// <summary>An endpoint's lifecycle: queued for admission → connecting → handshaking → connected → backoff → …</summary>
public enum EndpointState
{
    Queued,
    Connecting,
    Handshaking,
    Connected,
    Backoff,
}
