/*
 * fl_banned.h - poisons the unbounded libc functions (git's banned.h).
 * Included last by every module so a use of one of these fails to compile.
 */
#ifndef FL_BANNED_H
#define FL_BANNED_H

#define FL_BANNED(func) sorry_##func##_is_banned_use_a_bounded_alternative

#undef strcpy
#define strcpy(x, y) FL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) FL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) FL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) FL_BANNED(strncat)
#undef strtok
#define strtok(x, y) FL_BANNED(strtok)
#undef sprintf
#define sprintf(...) FL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FL_BANNED(vsprintf)
#undef gets
#define gets(x) FL_BANNED(gets)
#undef atoi
#define atoi(x) FL_BANNED(atoi)
#undef atol
#define atol(x) FL_BANNED(atol)
#undef gmtime
#define gmtime(x) FL_BANNED(gmtime)
#undef localtime
#define localtime(x) FL_BANNED(localtime)

#endif
