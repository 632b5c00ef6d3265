using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Switchboard.Tls.Native;

/// <summary>Owns one reference to an <c>SSL_CTX*</c> and the GCHandle its ex_data points to.</summary>
internal sealed class SslContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SslContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Weak handle to the owning <see cref="TlsContext"/>, stored in ex_data for callbacks.</summary>
    public GCHandle Owner { get; set; }

    protected override bool ReleaseHandle()
    {
        // Connections still alive hold their own reference to the SSL_CTX and may call back into it; they
        // must find an empty slot, not a freed GCHandle.
        LibSsl.SSL_CTX_set_ex_data_raw(handle, ExDataIndex.Context, IntPtr.Zero);
        LibSsl.SSL_CTX_free(handle);
        if (Owner.IsAllocated)
        {
            Owner.Free();
        }
        return true;
    }
}
