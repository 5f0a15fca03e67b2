namespace SbdServer.Core.Devices;

/// <summary>The phone certificate of a device: who it names and its digests (MD5 is the config's <c>certHash</c>).</summary>
public sealed record DeviceCertificateView(string Subject, string Md5, string Sha256);
