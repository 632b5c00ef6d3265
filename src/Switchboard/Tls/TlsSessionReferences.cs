using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// A second owner of the same native TLS 1.2 session (a reference count, not a copy): the cache keeps one
/// handle while a link uses the other, with no re-parse of the peer certificate as an import would cost.
/// </summary>
internal static class TlsSessionReferences
{
    public static TlsSession Duplicate(this TlsSession session)
    {
        var added = false;
        session.DangerousAddRef(ref added);
        try
        {
            var pointer = session.DangerousPointer;
            if (LibSsl.SSL_SESSION_up_ref(pointer) != 1)
            {
                throw new InvalidOperationException("SSL_SESSION_up_ref failed");
            }

            return new TlsSession(pointer);
        }
        finally
        {
            if (added)
            {
                session.DangerousRelease();
            }
        }
    }
}
