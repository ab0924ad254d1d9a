using System;
using System.IO;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// AsyncGuard packed once per test class into a temporary folder feed, with a version of its
/// own and a private NuGet cache, so that no cached copy of an earlier build is picked up.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string Work { get; } = DotNet.TempFolder("asyncguard-package");

    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";

    public string Feed => Path.Combine(Work, "feed");

    public string Nupkg => Path.Combine(Feed, $"AsyncGuard.{Version}.nupkg");

    public DotNet DotNet { get; }

    public TimeSpan PackTime { get; private set; }

    public PackedPackage() => DotNet = new DotNet(Directory.CreateDirectory(Path.Combine(Work, "nuget-packages")).FullName);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var pack = (await DotNet.RunAsync(Repository.Root, "pack", "src/AsyncGuard.Package", "-c", "Release", "-o", Feed, $"-p:Version={Version}"))
            .EnsureSuccess("dotnet pack");
        PackTime = pack.Elapsed;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    /// <summary>A fresh consumer folder that restores only from the test feed, with the given project file.</summary>
    public string NewConsumer(string name, string projectXml)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Work, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, Path.GetFileName(name) + ".csproj"), projectXml);
        return folder;
    }

    /// <summary>An SDK project that takes AsyncGuard by PackageReference, as a user's would.</summary>
    public string ProjectXml(string outputType = "Exe", string extraProperties = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>{outputType}</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="AsyncGuard" Version="{Version}" PrivateAssets="all" />
          </ItemGroup>
        </Project>
        """;
}

/// <summary>The package tests share one packed package and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Package";
}
