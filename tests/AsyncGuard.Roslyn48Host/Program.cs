using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// Usage: AsyncGuard.Roslyn48Host <analyzer folder> <root> <source files...>
// Prints "roslyn <version>", "analyzers <n>", "fixers <n>", then one "<file>:<line>: <id>" per
// diagnostic (paths relative to <root>), every AsyncGuard rule raised to warning. Exits 1 on an
// analyzer exception, a load failure or a compiler error in the sources.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: AsyncGuard.Roslyn48Host <analyzer folder> <root> <source files...>");
    return 2;
}

var folder = args[0];
var root = args[1];
Console.WriteLine($"roslyn {typeof(Compilation).Assembly.GetName().Version}");

var analyzers = new List<DiagnosticAnalyzer>();
var fixers = new List<CodeFixProvider>();
foreach (var dll in Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
{
    var assembly = Assembly.LoadFrom(dll);
    foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract))
    {
        if (type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            analyzers.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
        else if (type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null && typeof(CodeFixProvider).IsAssignableFrom(type))
            fixers.Add((CodeFixProvider)Activator.CreateInstance(type)!);
    }
}

Console.WriteLine($"analyzers {analyzers.Count}");
Console.WriteLine($"fixers {fixers.Count}");

var trees = args.Skip(2)
    .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: Path.GetRelativePath(root, f).Replace('\\', '/')))
    .ToList();
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
    .Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
    .Select(p => MetadataReference.CreateFromFile(p));
var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct();
var compilation = CSharpCompilation.Create("Samples", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
        .WithSpecificDiagnosticOptions(ids.ToDictionary(id => id, _ => ReportDiagnostic.Warn)));

var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
foreach (var error in errors) Console.Error.WriteLine($"compiler: {error}");

var exceptions = new List<string>();
var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
    (e, a, _) => exceptions.Add($"{a}: {e}"), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
var diagnostics = compilation.WithAnalyzers(analyzers.ToImmutableArray(), options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
foreach (var exception in exceptions) Console.Error.WriteLine($"analyzer exception: {exception}");

foreach (var line in diagnostics
    .Select(d => $"{d.Location.SourceTree!.FilePath}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}")
    .OrderBy(s => s, StringComparer.Ordinal))
{
    Console.WriteLine(line);
}

return errors.Count == 0 && exceptions.Count == 0 && analyzers.Count > 0 ? 0 : 1;
