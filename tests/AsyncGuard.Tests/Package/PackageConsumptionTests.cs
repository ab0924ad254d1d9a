using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// AsyncGuard consumed as a real NuGet package: packed into a temporary folder feed, taken by
/// a fresh console project through PackageReference, built (the warning appears at the
/// expected line), fixed with <c>dotnet format analyzers</c>, and rebuilt clean.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageConsumptionTests : IDisposable
{
    private const string ProgramSource = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        public static class Program
        {
            public static async Task Main()
            {
                Console.WriteLine("polling");
                Thread.Sleep(100);
                await Task.Yield();
            }
        }
        """;

    private readonly ITestOutputHelper output;
    private readonly string work = DotNet.TempFolder("asyncguard-package");

    public PackageConsumptionTests(ITestOutputHelper output) => this.output = output;

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Package_InstalledInFreshProject_WarnsAndFixesWithDotnetFormat()
    {
        // A version of its own, so that no cached copy of an earlier build can be picked up.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
        var dotnet = new DotNet(Directory.CreateDirectory(Path.Combine(work, "nuget-packages")).FullName);

        var pack = (await dotnet.RunAsync(Repository.Root, "pack", "src/AsyncGuard.Package", "-c", "Release", "-o", feed, $"-p:Version={version}"))
            .EnsureSuccess("dotnet pack");
        output.WriteLine($"pack: {pack.Elapsed.TotalSeconds:F1}s");

        var nupkg = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.Equal($"AsyncGuard.{version}.nupkg", Path.GetFileName(nupkg));
        using (var archive = ZipFile.OpenRead(nupkg))
        {
            var files = archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.Ordinal)).OrderBy(n => n).ToList();
            Assert.Equal(new[] { "analyzers/dotnet/cs/AsyncGuard.Analyzers.dll", "analyzers/dotnet/cs/AsyncGuard.CodeFixes.dll" }, files);
            Assert.DoesNotContain(archive.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal));
            var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.DoesNotContain("<dependency ", nuspec, StringComparison.Ordinal);
        }

        var app = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AsyncGuard" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramSource);

        var build = await dotnet.RunAsync(app, "build", "--no-incremental");
        output.WriteLine($"build: {build.Elapsed.TotalSeconds:F1}s");
        build.EnsureSuccess("dotnet build of the consumer");
        Assert.Contains("Program.cs(10,9): warning AG0001:", build.Output, StringComparison.Ordinal);

        var format = await dotnet.RunAsync(app, "format", "analyzers", "--diagnostics", "AG0001", "--severity", "info", "--verbosity", "diagnostic");
        output.WriteLine($"format: {format.Elapsed.TotalSeconds:F1}s\n{format.Output}");
        format.EnsureSuccess("dotnet format analyzers");
        Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);
        var fixedSource = File.ReadAllText(Path.Combine(app, "Program.cs"));
        Assert.Equal(ProgramSource.Replace("Thread.Sleep(100);", "await Task.Delay(100);", StringComparison.Ordinal).ReplaceLineEndings(), fixedSource.ReplaceLineEndings());

        var rebuild = (await dotnet.RunAsync(app, "build", "--no-incremental")).EnsureSuccess("rebuild after the fix");
        Assert.DoesNotContain("warning AG", rebuild.Output, StringComparison.Ordinal);
        Assert.Contains("0 Warning(s)", rebuild.Output, StringComparison.Ordinal);
    }
}
