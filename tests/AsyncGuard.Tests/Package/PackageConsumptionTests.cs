using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// AsyncGuard consumed as a real NuGet package: the package's contents, then a fresh console
/// project that takes it by PackageReference, builds (the warning appears at the expected
/// line), is fixed with <c>dotnet format analyzers</c>, and rebuilds clean.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class PackageConsumptionTests
{
    public const string ProgramSource = """
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
                Console.WriteLine(Sync(Source()));
            }

            public static int Sync(Task<int> task) => task.Result;

            public static Task<int> Source()
            {
                var completion = new TaskCompletionSource<int>();
                completion.SetResult(1);
                return completion.Task;
            }
        }
        """;

    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public PackageConsumptionTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public void Package_HasBothAnalyzerDllsPresetsAndMetadata()
    {
        output.WriteLine($"pack: {package.PackTime.TotalSeconds:F1}s");
        using var archive = ZipFile.OpenRead(package.Nupkg);
        var names = archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        output.WriteLine(string.Join("\n", names));
        Assert.Equal(
            new[]
            {
                "analyzers/dotnet/roslyn4.14/cs/AsyncGuard.Analyzers.dll", "analyzers/dotnet/roslyn4.14/cs/AsyncGuard.CodeFixes.dll",
                "analyzers/dotnet/roslyn4.8/cs/AsyncGuard.Analyzers.dll", "analyzers/dotnet/roslyn4.8/cs/AsyncGuard.CodeFixes.dll",
            },
            names.Where(n => n.EndsWith(".dll", StringComparison.Ordinal)));
        Assert.DoesNotContain(names, n => n.StartsWith("lib/", StringComparison.Ordinal));
        Assert.Contains("buildTransitive/AsyncGuard.props", names);
        Assert.Contains("buildTransitive/AsyncGuard.targets", names);
        foreach (var mode in Conventions.PresetTests.Modes)
            Assert.Contains($"buildTransitive/config/asyncguard.{mode}.globalconfig", names);
        Assert.Contains("README.md", names);

        var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<license type=\"expression\">", nuspec, StringComparison.Ordinal);
        Assert.Contains("<repository type=\"git\" url=\"https://", nuspec, StringComparison.Ordinal);
        Assert.Contains("<tags>", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("<dependency ", nuspec, StringComparison.Ordinal);
        Assert.Contains("<icon>icon.png</icon>", nuspec, StringComparison.Ordinal);
        Assert.Contains("icon.png", names);
        Assert.Contains("<copyright>", nuspec, StringComparison.Ordinal);
        foreach (var descriptor in Conventions.Repository.Descriptors)
            Assert.Contains(System.Security.SecurityElement.Escape($"{descriptor.Id} {descriptor.Title}"), nuspec, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Package_InstalledInFreshProject_WarnsAndFixesWithDotnetFormat()
    {
        var app = package.NewConsumer("app", package.ProjectXml());
        File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramSource);

        var build = (await package.DotNet.RunAsync(app, "build", "--no-incremental")).EnsureSuccess("dotnet build of the consumer");
        output.WriteLine($"build: {build.Elapsed.TotalSeconds:F1}s");
        Assert.Contains("Program.cs(10,9): warning AGD0001:", build.Output, StringComparison.Ordinal);

        var format = (await package.DotNet.RunAsync(app, "format", "analyzers", "--diagnostics", "AGD0001", "AGD0040", "--severity", "info", "--verbosity", "diagnostic"))
            .EnsureSuccess("dotnet format analyzers");
        output.WriteLine($"format: {format.Elapsed.TotalSeconds:F1}s");
        Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);
        var fixedSource = File.ReadAllText(Path.Combine(app, "Program.cs"));
        Assert.Equal(
            ProgramSource.Replace("Thread.Sleep(100);", "await Task.Delay(100);", StringComparison.Ordinal)
                .Replace("Console.WriteLine(Sync(Source()));", "Console.WriteLine(await Task.Run(() => Sync(Source())));", StringComparison.Ordinal)
                .ReplaceLineEndings(),
            fixedSource.ReplaceLineEndings());

        var rebuild = (await package.DotNet.RunAsync(app, "build", "--no-incremental", "-warnaserror")).EnsureSuccess("rebuild after the fix, warnings as errors");
        Assert.DoesNotContain("warning AG", rebuild.Output, StringComparison.Ordinal);
        Assert.Contains("0 Warning(s)", rebuild.Output, StringComparison.Ordinal);
    }
}
