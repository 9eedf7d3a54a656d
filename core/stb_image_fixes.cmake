# Debian 12's stb_image is 2.27. The fuzzers (tests/fuzz) found memory errors and undefined
# behaviour in it that upstream fixed in 2.28, and an assert that corrupt data reaches; those fixes
# are applied here to a copy of Debian's header, which core/image.cpp includes. Configuring fails when a fix no longer applies (another
# stb_image: check that it carries the fix, then drop the fix here).
function(iscam_fix_stb_image header out_dir)
  file(READ ${header} text)
  macro(fix what before after)
    string(FIND "${text}" "${before}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${header}: the fix of core/stb_image_fixes.cmake for ${what} does not apply")
    endif()
    string(REPLACE "${before}" "${after}" text "${text}")
  endmacro()

  # A DHT segment whose 16 code counts add up to more than 256 made stbi__build_huffman write
  # past its 257-entry size list (heap overflow).
  fix("JPEG DHT code counts" [=[
            L -= 17;
            if (tc == 0) {]=] [=[
            if (n > 256) return stbi__err("bad DHT header","Corrupt JPEG"); // iscam: upstream 2.28's fix
            L -= 17;
            if (tc == 0) {]=])
  # A code that maps outside the table's 256 symbols was read past its end.
  fix("JPEG Huffman symbol ids" [=[
   c = ((j->code_buffer >> (32 - k)) & stbi__bmask[k]) + h->delta[k];
]=] [=[
   c = ((j->code_buffer >> (32 - k)) & stbi__bmask[k]) + h->delta[k];
   if (c < 0 || c >= 256) return -1; // iscam: upstream 2.28's fix
]=])
  # The fast AC paths (baseline and progressive) took more bits than the buffer held: code_bits
  # went negative, then shifts by 32 and more (undefined).
  fix("JPEG fast AC lengths" [=[s = r & 15; // combined length
]=] [=[s = r & 15; // combined length
         if (s > j->code_bits) return stbi__err("bad huffman code","Combined length longer than code bits available"); // iscam: upstream 2.28's fix
]=])
  # An empty PNG chunk read into a buffer not yet allocated: memcpy to NULL (undefined). Ours.
  fix("empty reads" [=[
   if (s->img_buffer+n <= s->img_buffer_end) {
      memcpy(buffer, s->img_buffer, n);
]=] [=[
   if (n == 0) return 1; // iscam
   if (s->img_buffer+n <= s->img_buffer_end) {
      memcpy(buffer, s->img_buffer, n);
]=])
  # A code whose table entry disagrees with it (a corrupt or redefined table) hit an assert that
  # aborts with asserts on and shifts by the entry's garbage length without: it is corrupt data.
  # Ours, not upstream's.
  fix("JPEG Huffman code check" [=[
   STBI_ASSERT((((j->code_buffer) >> (32 - h->size[c])) & stbi__bmask[h->size[c]]) == h->code[c]);
]=] [=[
   if (h->size[c] != k || ((j->code_buffer >> (32 - k)) & stbi__bmask[k]) != h->code[c]) return -1; // iscam
]=])
  # A bit stream that ran out drove code_bits negative: shifts by 32 and more (undefined).
  foreach(reader "if (j->code_bits < n) stbi__grow_buffer_unsafe(j);" "if (j->code_bits < 1) stbi__grow_buffer_unsafe(j);")
    string(REPLACE "stbi__grow_buffer_unsafe(j);" "return 0; // iscam: upstream 2.28's fix" empty "${reader}")
    fix("JPEG bit reads past the stream" "   ${reader}\n" "   ${reader}\n   ${empty}\n")
  endforeach()

  set(out ${out_dir}/stb_image.h)
  set(old "")
  if(EXISTS ${out})
    file(READ ${out} old)
  endif()
  if(NOT old STREQUAL text)
    file(WRITE ${out} "${text}")
  endif()
endfunction()
