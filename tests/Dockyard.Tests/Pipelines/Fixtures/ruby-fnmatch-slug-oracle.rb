# Run: ruby ruby-fnmatch-slug-oracle.rb ruby-fnmatch.tsv ruby-slugs.tsv (from this folder) to regenerate the oracle fixtures.
# Generates oracle data for Dockyard's tests from real Ruby (File.fnmatch?, GitLab's slugify and environment slug).
require 'digest'
flags = File::FNM_PATHNAME | File::FNM_DOTMATCH | File::FNM_EXTGLOB
patterns = ['*', '*.yml', '**/*.yml', '**/*', '**', 'src/**', 'src/**/*', 'src/**/*.cs', 'src/*', '*/*.yml', '**/a.txt',
  'a?b', 'file?.txt', '[abc].txt', '[!abc].txt', '[^abc].txt', '[a-c]x', 'a[!x]b', 'a[%-0]b', '*.{yml,yaml}',
  '{src,test/{unit,e2e}}/*.js', '**/{package.json,yarn.lock}', 'a{b', '\*.txt', '[.txt', '(x)+.txt', '{**/a.txt,b}',
  'q{**/a.txt,b}', 'docs/**/*.md', '.gitlab-ci.yml', '.*', '*/', 'src/**/', 'a/**/b', 'a**b', '**a', '*.[ch]',
  '[]]x', '[a-]x', 'a\\b', '{a,}x', '{,a}x', 'x{a,b}{c,d}', '?', '??', '[[:alpha:]]x', '[!]x', '[^]x', '{a,[}x',
  '{a,b}[', 'x\\', '[\\]]x', '{a,b{c}', 'a}b', '[]a]x', '[!]]x', 'a[']
paths = ['a.yml', 'dir/a.yml', '.hidden.yml', 'a/b/c.yml', '.ci/c.yml', 'src', 'src/a', 'src/a/b', 'src/a.cs',
  'src/x/y/a.cs', 'other/src/a.cs', 'a.txt', 'x/y/a.txt', 'qz/a.txt', 'qz/y/a.txt', 'aab', 'a/b', 'axb', 'a%b', 'a.b',
  'file1.txt', 'file10.txt', 'b.txt', 'd.txt', 'bx', 'a.yaml', 'a.json', 'test/e2e/a.js', 'test/other/a.js', 'src/a.js',
  'web/yarn.lock', 'package.json', 'a{b', '*.txt', '[.txt', '(x)+.txt', 'docs/a.md', 'docs/x/y/z.md', '.gitlab-ci.yml',
  '.env', 'a[', ']]x', 'ac', '{a,b}', 'a}b', 'x\\', 'a/x/b', 'a/x/y/b', 'axyzb', 'xa', 'x/a', 'f.c', 'f.h', ']x', '-x', 'ab', 'x', 'ax', 'xac', 'xbd', 'z', 'zz', 'ax']
File.open(ARGV[0], 'w') do |f|
  f.puts "# pattern\tpath\tFile.fnmatch?(pattern, path, FNM_PATHNAME|FNM_DOTMATCH|FNM_EXTGLOB) from ruby #{RUBY_VERSION}"
  patterns.each { |p| paths.uniq.each { |s| f.puts "#{p}\t#{s}\t#{File.fnmatch?(p, s, flags)}" } }
end
names = ['main', 'Feature/ABC_1.2', 'a//b', '--lead/trail--', '__', 'Ünïcode-ß', "emoji-\u{1F600}-x", "\u0130stanbul",
  "\u212Aelvin", 'ŞİŞLİ/Öğrenci', 'release/v1.2.3+build.5', 'x' * 70, ('ab/' * 30), 'ΑΒΓ-δ', 'ﬁle', 'STRASSE', 'ǅemal']
File.open(ARGV[1], 'w') do |f|
  f.puts "# name\tGitlab::Utils.slugify\tGitlab::Slug::Environment from ruby #{RUBY_VERSION}"
  names.each do |n|
    slug = n.downcase.gsub(/[^a-z0-9]/, '-')[0..62].gsub(/(\A-+|-+\z)/, '')
    e = n.to_s.downcase.gsub(/[^a-z0-9]/, '-')
    e = 'env-' + e unless e.match?(/^[a-z]/)
    e.squeeze!('-')
    e = if e.size > 24 || e != n
      s = e[0..16]; s << '-' unless s.end_with?('-'); s << Digest::SHA2.hexdigest(n.to_s).to_i(16).to_s(36)[-6..]
    else
      e.chomp('-')
    end
    f.puts "#{n}\t#{slug}\t#{e}"
  end
end
