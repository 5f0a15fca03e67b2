using System.Net.Http;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Cluster;
using SbdServer.Core.Diagnostics;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>A <see cref="PhoneServicesService"/> on a free loopback port with in-memory ports behind it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public const string Fqdn = "cucm-pub.lab.example";
    public const string User = "admin";
    public const string Password = "s3cret & <pw>";
    public const string KnownDevice = "SEP0011215A1AE3";

    private RunningServer(PhoneServicesService service, TestCertificateSource certificates, TestDeviceStore devices, FakeTimeProvider time)
    {
        Service = service;
        Certificates = certificates;
        Devices = devices;
        Time = time;
    }

    public PhoneServicesService Service { get; }

    public TestCertificateSource Certificates { get; }

    public TestDeviceStore Devices { get; }

    public FakeTimeProvider Time { get; }

    public PeerWarnings Warnings { get; private init; } = null!;

    public int Port => Service.LocalEndPoint!.Port;

    public static async Task<RunningServer> StartAsync(
        Action<PhoneServicesOptions>? configure = null,
        TestCertificateSource? certificates = null,
        ILogger<PhoneServicesService>? logger = null)
    {
        var options = new PhoneServicesOptions { Address = "127.0.0.1", Port = 0 };
        configure?.Invoke(options);
        certificates ??= new TestCertificateSource(TestCertificates.Default);
        var devices = new TestDeviceStore(KnownDevice);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var warnings = new PeerWarnings(time);
        var service = new PhoneServicesService(
            Options.Create(options), certificates, new TestAuthenticator(User, Password), devices,
            new LocalNodeOptions { Name = "cucm-pub", Fqdn = Fqdn, Address = "10.0.0.10" }, time,
            logger ?? NullLogger<PhoneServicesService>.Instance, warnings);
        await service.StartAsync(CancellationToken.None);
        return new RunningServer(service, certificates, devices, time) { Warnings = warnings };
    }

    /// <summary>A client on its own connection pool; <see cref="CapturingClient.PresentedCertificate"/> is what the server showed.</summary>
    public CapturingClient CreateClient() => new(Port);

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync(CancellationToken.None);
        await Service.DisposeAsync();
    }
}

internal sealed class CapturingClient : IDisposable
{
    private readonly HttpClient _client;

    public CapturingClient(int port)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Phones do not validate the chain; they ask TVS. The tests look at what was presented.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    PresentedCertificate = certificate?.GetRawCertData();
                    return PresentedCertificate is not null;
                },
            },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
    }

    public byte[]? PresentedCertificate { get; private set; }

    public HttpClient Http => _client;

    public void Dispose() => _client.Dispose();
}
